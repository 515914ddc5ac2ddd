package io.switchboard.platform;

import java.util.UUID;
import org.jboss.logging.MDC;

/** Puts the tenant and conversation on every log line written inside it (never message text). */
public final class LogContext implements AutoCloseable {

    private LogContext() {}

    public static LogContext of(String tenant, UUID conversation) {
        MDC.put("tenant", tenant);
        if (conversation != null) {
            MDC.put("conversation", conversation.toString());
        }
        return new LogContext();
    }

    @Override
    public void close() {
        MDC.remove("tenant");
        MDC.remove("conversation");
    }
}
