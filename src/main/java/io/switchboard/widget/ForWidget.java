package io.switchboard.widget;

import jakarta.interceptor.InterceptorBinding;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A widget endpoint of the tenant named by its {@code {tenant}} path segment. Before the method
 * runs, the browser's origin must be one the tenant allows (or this platform's own pages); when
 * the path names a conversation ({@code {id}}), the request's bearer token must open it. Both are
 * then in {@link CurrentWidget}, and the method runs in the tenant's scope. Unknown tenants and
 * conversations the token does not open look the same: not found.
 */
@InterceptorBinding
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
public @interface ForWidget {}
