package io.switchboard.tenant;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.elytron.security.common.BcryptUtil;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import io.switchboard.events.DomainEvent;
import io.switchboard.events.EventType;
import io.switchboard.events.Outbox;
import io.switchboard.platform.AuditLog;
import io.switchboard.platform.Problem;
import io.switchboard.platform.ProblemException;
import io.switchboard.platform.ProblemType;
import io.switchboard.platform.Secrets;
import io.switchboard.platform.TenantScope;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.control.ActivateRequestContext;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.hibernate.exception.ConstraintViolationException;
import org.jboss.logging.Logger;

/**
 * Built-in accounts of the embedded default: members of a tenant with roles, and the platform's
 * bootstrap admin. Passwords are checked with bcrypt; a check that succeeded is remembered for
 * {@link #REMEMBERED} so HTTP Basic calls do not pay bcrypt each time. Guessing is limited by
 * {@link LoginLimits}, around each check.
 */
@ApplicationScoped
public class AccountService {

    public static final String BOOTSTRAP_ADMIN = "admin";
    public static final int MIN_PASSWORD_LENGTH = 12;
    /** bcrypt reads only the first 72 bytes; a longer password would silently lose its tail. */
    public static final int MAX_PASSWORD_BYTES = 72;

    static final Duration REMEMBERED = Duration.ofSeconds(60);
    private static final int BCRYPT_ITERATIONS = 10;
    private static final Logger LOG = Logger.getLogger(AccountService.class);
    /** Compared against when the username is unknown, so a wrong username costs as long as a wrong password. */
    private static final String UNKNOWN_USER_HASH = BcryptUtil.bcryptHash(Secrets.newSecret(""), BCRYPT_ITERATIONS);

    /** A member as listed: never the password hash. */
    public record MemberView(UUID id, String username, List<Role> roles, Instant createdAt, Instant lastLoginAt) {

        static MemberView of(Account account) {
            return new MemberView(
                    account.id,
                    account.username,
                    rolesOf(account).stream().toList(),
                    account.createdAt,
                    account.lastLoginAt);
        }
    }

    /** The data of an account-changed event: replicas forget what they remembered of it. */
    public record Changed(UUID accountId) {}

    private final AccountRepository accounts;
    private final Outbox outbox;
    private final AuditLog audit;
    private final ObjectMapper json;
    private final Optional<String> bootstrapPassword;
    private final boolean bootstrapAdminEnabled;
    private final StartupLock startupLock;
    private final RememberedCallers remembered = new RememberedCallers(REMEMBERED);
    /** Keys the in-memory digests of remembered passwords; never leaves this process. */
    private final String digestKey = Secrets.newSecret("");

    public AccountService(
            AccountRepository accounts,
            Outbox outbox,
            AuditLog audit,
            ObjectMapper json,
            TenantConfig config,
            StartupLock startupLock) {
        this.startupLock = startupLock;
        this.accounts = accounts;
        this.outbox = outbox;
        this.audit = audit;
        this.json = json;
        this.bootstrapPassword = config.bootstrap().adminPassword();
        this.bootstrapAdminEnabled = config.bootstrap().adminEnabled();
    }

    /** The caller of a password this replica checked less than {@link #REMEMBERED} ago. */
    public Optional<Caller> recentlyLoggedIn(String username, String password) {
        return remembered.recall(passwordDigest(username, password)).map(RememberedCallers.Remembered::caller);
    }

    /** Checks a username and password; every attempt that reaches the database is audited. */
    @ActivateRequestContext
    @Transactional
    public Optional<Caller> login(String username, String password, String sourceAddress) {
        long started = System.nanoTime();
        Optional<Account> account = accounts.findByUsername(username);
        boolean matches = BcryptUtil.matches(
                password, account.map(found -> found.passwordHash).orElse(UNKNOWN_USER_HASH));
        if (account.isEmpty() || !matches || tooLong(password)) {
            audit.recordLogin(
                    account.map(found -> found.tenantId).orElse(null),
                    username,
                    false,
                    sourceAddress,
                    Map.of("reason", account.isEmpty() ? "unknown username" : "wrong password"));
            return Optional.empty();
        }
        Account found = account.get();
        found.lastLoginAt = Instant.now();
        Caller caller = callerOf(found);
        remembered.remember(passwordDigest(username, password), found.id, caller, started);
        audit.recordLogin(found.tenantId, found.username, true, sourceAddress, Map.of());
        return Optional.of(caller);
    }

    /** The caller of a username already proven by a form-login session cookie. */
    public Optional<Caller> recentlyKnown(String username) {
        return remembered.recall(usernameKey(username)).map(RememberedCallers.Remembered::caller);
    }

    @ActivateRequestContext
    @Transactional
    public Optional<Caller> known(String username) {
        long started = System.nanoTime();
        return accounts.findByUsername(username).map(account -> {
            Caller caller = callerOf(account);
            remembered.remember(usernameKey(username), account.id, caller, started);
            return caller;
        });
    }

    @Transactional
    public List<MemberView> members(UUID tenantId) {
        return accounts.ofTenant(tenantId).stream().map(MemberView::of).toList();
    }

    @Transactional
    public MemberView add(UUID tenantId, String username, String password, Set<Role> roles) {
        requireAcceptable(password);
        if (BOOTSTRAP_ADMIN.equalsIgnoreCase(username)) {
            throw taken(username);
        }
        Account account = new Account();
        account.id = UUID.randomUUID();
        account.tenantId = tenantId;
        account.username = username;
        account.passwordHash = hash(password);
        account.roles = roleIds(roles);
        account.createdAt = Instant.now();
        try {
            // Usernames are unique across tenants, whose accounts this tenant cannot see: the unique index decides.
            accounts.persistAndFlush(account);
        } catch (ConstraintViolationException duplicate) {
            throw taken(username);
        }
        audit.record(
                tenantId,
                AuditLog.Action.MEMBER_ADDED,
                account.id.toString(),
                Map.of("username", username, "roles", account.roles));
        return MemberView.of(account);
    }

    /** Changes a member's roles, password or both; {@code null} leaves that part as it is. */
    @Transactional
    public MemberView change(UUID tenantId, UUID id, Set<Role> roles, String password) {
        Account account = accounts.ofTenant(tenantId, id).orElseThrow(() -> ProblemException.notFound("Member"));
        Map<String, Object> detail = new java.util.LinkedHashMap<>();
        if (roles != null) {
            detail.put("rolesBefore", account.roles);
            account.roles = roleIds(roles);
            detail.put("roles", account.roles);
        }
        if (password != null) {
            requireAcceptable(password);
            account.passwordHash = hash(password);
            account.credentialsVersion++;
            detail.put("passwordChanged", true);
        }
        forgetEverywhere(account);
        audit.record(tenantId, AuditLog.Action.MEMBER_CHANGED, account.id.toString(), detail);
        return MemberView.of(account);
    }

    @Transactional
    public void remove(UUID tenantId, UUID id) {
        Account account = accounts.ofTenant(tenantId, id).orElseThrow(() -> ProblemException.notFound("Member"));
        accounts.delete(account);
        forgetEverywhere(account);
        audit.record(
                tenantId, AuditLog.Action.MEMBER_REMOVED, account.id.toString(), Map.of("username", account.username));
    }

    /** Why a password is refused, or empty when it is acceptable; the one rule for the API and the bootstrap admin. */
    public static Optional<String> passwordProblem(String password) {
        if (password.length() < MIN_PASSWORD_LENGTH) {
            return Optional.of("must be at least " + MIN_PASSWORD_LENGTH + " characters");
        }
        if (tooLong(password)) {
            return Optional.of("must be at most " + MAX_PASSWORD_BYTES + " bytes in UTF-8 (bcrypt ignores the rest)");
        }
        return Optional.empty();
    }

    private static ProblemException taken(String username) {
        return new ProblemException(ProblemType.CONFLICT, "The username '" + username + "' is taken");
    }

    private static void requireAcceptable(String password) {
        passwordProblem(password).ifPresent(problem -> {
            throw new ProblemException(
                    ProblemType.VALIDATION_FAILED,
                    "password: " + problem,
                    List.of(new Problem.FieldError("password", problem)));
        });
    }

    /** Another replica (or this one) changed an account: stop trusting what was remembered of it. */
    void onChanged(@Observes DomainEvent event) throws JsonProcessingException {
        if (EventType.ACCOUNT_CHANGED.topic().equals(event.type())) {
            remembered.forget(json.treeToValue(event.data(), Changed.class).accountId());
        }
    }

    /**
     * Like Keycloak's bootstrap admin: with SWITCHBOARD_BOOTSTRAP_ADMIN_PASSWORD set, the platform
     * account "admin" has that password after startup. Without it and without an admin, the log says how to get one.
     * With SWITCHBOARD_BOOTSTRAP_ADMIN_ENABLED=false the account is removed, once platform keys or
     * Keycloak have taken its place.
     */
    void onStart(@Observes StartupEvent started) {
        startupLock.runAlone(() -> TenantScope.asPlatform(
                "bootstrap admin", () -> QuarkusTransaction.requiringNew().run(this::ensureBootstrapAdmin)));
    }

    private void ensureBootstrapAdmin() {
        Optional<Account> admin = accounts.findByUsername(BOOTSTRAP_ADMIN);
        if (!bootstrapAdminEnabled) {
            // Removed rather than locked: its sessions end with it, and no password can bring it back but re-enabling.
            admin.ifPresent(account -> {
                accounts.delete(account);
                forgetEverywhere(account);
                audit.record(
                        null,
                        AuditLog.Action.ADMIN_DISABLED,
                        account.id.toString(),
                        Map.of("username", BOOTSTRAP_ADMIN));
                LOG.infof(
                        "Platform account '%s' removed: SWITCHBOARD_BOOTSTRAP_ADMIN_ENABLED is false", BOOTSTRAP_ADMIN);
            });
            return;
        }
        Optional<String> password = bootstrapPassword.filter(value -> !value.isBlank());
        if (password.isEmpty()) {
            if (admin.isEmpty()) {
                LOG.warnf(
                        "No admin account yet. To log in to the console at /console (or call /api/v1 with HTTP Basic) as '%s',"
                                + " restart with SWITCHBOARD_BOOTSTRAP_ADMIN_PASSWORD set to a password of at least %d characters.",
                        BOOTSTRAP_ADMIN, MIN_PASSWORD_LENGTH);
            }
            return;
        }
        String chosen = password.get();
        passwordProblem(chosen).ifPresent(problem -> {
            throw new IllegalArgumentException("SWITCHBOARD_BOOTSTRAP_ADMIN_PASSWORD " + problem);
        });
        if (admin.isPresent() && BcryptUtil.matches(password.get(), admin.get().passwordHash)) {
            return;
        }
        Account account = admin.orElseGet(() -> {
            Account created = new Account();
            created.id = UUID.randomUUID();
            created.username = BOOTSTRAP_ADMIN;
            created.createdAt = Instant.now();
            return created;
        });
        account.passwordHash = hash(chosen);
        account.credentialsVersion++;
        account.roles = roleIds(EnumSet.of(Role.PLATFORM_ADMIN));
        accounts.persist(account);
        forgetEverywhere(account);
        audit.record(
                null, AuditLog.Action.ADMIN_PASSWORD_SET, account.id.toString(), Map.of("username", BOOTSTRAP_ADMIN));
        LOG.infof("Platform account '%s' has the password from SWITCHBOARD_BOOTSTRAP_ADMIN_PASSWORD", BOOTSTRAP_ADMIN);
    }

    private void forgetEverywhere(Account account) {
        remembered.forget(account.id);
        outbox.record(EventType.ACCOUNT_CHANGED, account.tenantId, account.id.toString(), new Changed(account.id));
    }

    private String passwordDigest(String username, String password) {
        return Secrets.hmacSha256(digestKey, usernameKey(username) + '\0' + password);
    }

    private static String usernameKey(String username) {
        return "user:" + username.toLowerCase(Locale.ROOT);
    }

    private static boolean tooLong(String password) {
        return password.getBytes(StandardCharsets.UTF_8).length > MAX_PASSWORD_BYTES;
    }

    private static String hash(String password) {
        return BcryptUtil.bcryptHash(password, BCRYPT_ITERATIONS);
    }

    private static ArrayList<String> roleIds(Set<Role> roles) {
        return new ArrayList<>(roles.stream().map(Role::id).sorted().toList());
    }

    private static Set<Role> rolesOf(Account account) {
        return account.roles.stream().map(Role::of).collect(Collectors.toCollection(() -> EnumSet.noneOf(Role.class)));
    }

    private static Caller callerOf(Account account) {
        return new Caller(account.username, account.tenantId, rolesOf(account), account.credentialsVersion);
    }
}
