package io.switchboard.platform;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.TarImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FilePermissions;
import com.google.cloud.tools.jib.api.buildplan.Port;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Builds Switchboard's container image as a tarball (the format {@code docker load}, {@code podman
 * load} and {@code skopeo copy docker-archive:...} read) with Jib, without a Docker daemon and
 * without a registry: no base image is pulled. The image is assembled from scratch out of what
 * this machine kind can fetch — the C and C++ runtime libraries from Debian packages, a Java
 * runtime linked with {@code jlink} from the build JDK — plus the packaged application. It runs
 * as user 185 and needs nothing writable but {@code /tmp}.
 * Usage: {@code <quarkus-app directory> <work directory> <output tar> <image name>}; k8s/build-image.sh runs it.
 */
public final class ContainerImage {

    /** The Debian packages whose libraries the JVM, ONNX Runtime, the tokenizer and llama.cpp (OpenMP) load. */
    static final List<String> DEBIAN_PACKAGES = List.of("libc6", "libgcc-s1", "libstdc++6", "libgomp1");
    /** Java SE plus what the platform uses beyond it (vector API for Lucene, JFR, jcmd for diagnostics); no compiler or tools. */
    static final String JAVA_MODULES = String.join(
            ",",
            "java.se",
            "jdk.charsets",
            "jdk.crypto.cryptoki",
            "jdk.crypto.ec",
            "jdk.httpserver",
            "jdk.incubator.vector",
            "jdk.jcmd",
            "jdk.jfr",
            "jdk.localedata",
            "jdk.management",
            "jdk.management.jfr",
            "jdk.naming.dns",
            "jdk.net",
            "jdk.nio.mapmode",
            "jdk.security.auth",
            "jdk.security.jgss",
            "jdk.unsupported",
            "jdk.zipfs");

    static final String USER = "185";
    static final String APP = "/deployments";
    static final String JAVA = "/opt/java";

    private ContainerImage() {}

    public static void main(String[] args) throws Exception {
        build(Path.of(args[0]), Path.of(args[1]), Path.of(args[2]), args[3]);
    }

    public static void build(Path quarkusApp, Path workDirectory, Path output, String imageName) throws Exception {
        Path work = workDirectory.toAbsolutePath();
        Path debian = work.resolve("debian");
        Path jre = work.resolve("jre");
        Path empty = work.resolve("empty");
        deleteRecursively(work);
        Files.createDirectories(empty);
        unpackDebianPackages(work.resolve("packages"), debian);
        Files.createDirectories(debian.resolve("etc"));
        Files.writeString(
                debian.resolve("etc/passwd"),
                "root:x:0:0:root:/root:/sbin/nologin\nswitchboard:x:185:185::/tmp:/sbin/nologin\n");
        Files.writeString(debian.resolve("etc/group"), "root:x:0:\nswitchboard:x:185:\n");
        run(
                work,
                Path.of(System.getProperty("java.home"), "bin", "jlink").toString(),
                "--add-modules",
                JAVA_MODULES,
                "--strip-debug",
                "--no-man-pages",
                "--no-header-files",
                "--output",
                jre.toString());

        Files.createDirectories(output.toAbsolutePath().getParent());
        Jib.fromScratch()
                .addFileEntriesLayer(layer("debian libraries", debian, "/")
                        // Writable by the application user: ONNX Runtime and the tokenizer unpack their native
                        // libraries here.
                        .addEntry(empty, AbsoluteUnixPath.get("/tmp"), FilePermissions.fromOctalString("777"))
                        .build())
                .addFileEntriesLayer(layer("java runtime", jre, JAVA).build())
                .addFileEntriesLayer(layer("application libraries", quarkusApp.resolve("lib"), APP + "/lib")
                        .build())
                .addFileEntriesLayer(application(quarkusApp))
                .setEntrypoint(JAVA + "/bin/java", "-jar", APP + "/quarkus-run.jar")
                .addEnvironmentVariable("JAVA_HOME", JAVA)
                .addEnvironmentVariable("PATH", JAVA + "/bin:/usr/bin:/bin")
                .addEnvironmentVariable("HOME", "/tmp")
                .addEnvironmentVariable("DJL_CACHE_DIR", "/tmp/djl.ai")
                .addEnvironmentVariable("JDK_JAVA_OPTIONS", "-XX:MaxRAMPercentage=70 -XX:+ExitOnOutOfMemoryError")
                .setWorkingDirectory(AbsoluteUnixPath.get(APP))
                .setUser(USER)
                .addExposedPort(Port.tcp(8080))
                .addExposedPort(Port.tcp(9000))
                .addLabel("org.opencontainers.image.title", "switchboard")
                .setCreationTime(Instant.now())
                .containerize(Containerizer.to(TarImage.at(output).named(imageName)));
    }

    /** The application's own files, which change on every build, in the last layer. */
    private static FileEntriesLayer application(Path quarkusApp) throws IOException {
        FileEntriesLayer.Builder layer = FileEntriesLayer.builder()
                .setName("application")
                .addEntry(quarkusApp.resolve("quarkus-run.jar"), AbsoluteUnixPath.get(APP + "/quarkus-run.jar"));
        for (String directory : List.of("app", "quarkus")) {
            layer.addEntryRecursive(quarkusApp.resolve(directory), AbsoluteUnixPath.get(APP + "/" + directory));
        }
        return layer.build();
    }

    /**
     * Every file under {@code root} at the same path under {@code target}, keeping its permissions.
     * A symbolic link becomes a copy of the file it names, resolved inside {@code root} (Debian's
     * links are absolute, and must not pick up this machine's own files).
     */
    private static FileEntriesLayer.Builder layer(String name, Path root, String target) throws IOException {
        FileEntriesLayer.Builder layer = FileEntriesLayer.builder().setName(name);
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(root)) {
            paths = walk.filter(path -> !path.equals(root)).toList();
        }
        for (Path path : paths) {
            Path source = Files.isSymbolicLink(path) ? insideRoot(root, path) : path;
            if (source == null || Files.isDirectory(source, LinkOption.NOFOLLOW_LINKS) && Files.isSymbolicLink(path)) {
                continue;
            }
            layer.addEntry(
                    source,
                    AbsoluteUnixPath.get(target).resolve(root.relativize(path).toString()),
                    FilePermissions.fromPosixFilePermissions(Files.getPosixFilePermissions(source)));
        }
        return layer;
    }

    /** The file a symbolic link names, following further links, all resolved inside {@code root}; null if it leads outside or nowhere. */
    private static Path insideRoot(Path root, Path link) throws IOException {
        Path current = link;
        for (int hops = 0; hops < 16 && Files.isSymbolicLink(current); hops++) {
            Path target = Files.readSymbolicLink(current);
            current = (target.isAbsolute()
                            ? root.resolve(target.toString().substring(1))
                            : current.getParent().resolve(target))
                    .normalize();
            if (!current.startsWith(root)) {
                return null;
            }
        }
        return Files.exists(current, LinkOption.NOFOLLOW_LINKS) && !Files.isSymbolicLink(current) ? current : null;
    }

    private static void unpackDebianPackages(Path downloads, Path root) throws IOException, InterruptedException {
        Files.createDirectories(downloads);
        Files.createDirectories(root);
        List<String> download = new ArrayList<>(List.of("apt-get", "download", "-q"));
        download.addAll(DEBIAN_PACKAGES);
        run(downloads, download.toArray(String[]::new));
        try (Stream<Path> packages = Files.list(downloads)) {
            for (Path deb :
                    packages.filter(path -> path.toString().endsWith(".deb")).toList()) {
                run(downloads, "dpkg-deb", "-x", deb.toString(), root.toString());
            }
        }
    }

    private static void run(Path directory, String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command)
                .directory(directory.toFile())
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes());
        if (process.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
        }
    }

    private static void deleteRecursively(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(directory)) {
            for (Path path : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
