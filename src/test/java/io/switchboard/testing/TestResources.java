package io.switchboard.testing;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;

/** Every {@code @QuarkusTest} runs against real PostgreSQL and the model stub, with a bootstrap platform key. */
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = ModelStubResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PlatformKeyResource.class, scope = TestResourceScope.GLOBAL)
public final class TestResources {

    private TestResources() {}
}
