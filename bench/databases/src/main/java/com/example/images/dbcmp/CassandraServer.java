package com.example.images.dbcmp;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One Cassandra 5.0 node as a child JVM on JDK 17 (cassandra-all from Maven Central, the
 * flags of its conf/jvm17-server.options), on 127.0.0.1 and free ports, its files and log in
 * {@code dir}. Closing it stops the node.
 */
final class CassandraServer implements AutoCloseable {

    /** Cassandra's conf/jvm17-server.options: JPMS access and its G1 settings. */
    static final List<String> JVM17_OPTIONS = List.of(
            "-XX:+UseG1GC", "-XX:+ParallelRefProcEnabled", "-XX:MaxTenuringThreshold=1", "-XX:G1HeapRegionSize=16m",
            "-XX:G1RSetUpdatingPauseTimePercent=5", "-XX:MaxGCPauseMillis=300", "-XX:InitiatingHeapOccupancyPercent=70",
            "-Djdk.attach.allowAttachSelf=true",
            "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
            "--add-exports", "java.management.rmi/com.sun.jmx.remote.internal.rmi=ALL-UNNAMED",
            "--add-exports", "java.rmi/sun.rmi.registry=ALL-UNNAMED",
            "--add-exports", "java.rmi/sun.rmi.server=ALL-UNNAMED",
            "--add-exports", "java.sql/java.sql=ALL-UNNAMED",
            "--add-exports", "java.base/java.lang.ref=ALL-UNNAMED",
            "--add-exports", "jdk.unsupported/sun.misc=ALL-UNNAMED",
            "--add-exports", "jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
            "--add-exports", "jdk.attach/sun.tools.attach=ALL-UNNAMED",
            "--add-opens", "java.base/java.lang.module=ALL-UNNAMED",
            "--add-opens", "java.base/jdk.internal.loader=ALL-UNNAMED",
            "--add-opens", "java.base/jdk.internal.ref=ALL-UNNAMED",
            "--add-opens", "java.base/jdk.internal.reflect=ALL-UNNAMED",
            "--add-opens", "java.base/jdk.internal.math=ALL-UNNAMED",
            "--add-opens", "java.base/jdk.internal.module=ALL-UNNAMED",
            "--add-opens", "java.base/jdk.internal.util.jar=ALL-UNNAMED",
            "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED",
            "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens", "java.base/java.io=ALL-UNNAMED",
            "--add-opens", "java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-opens", "jdk.compiler/com.sun.tools.javac=ALL-UNNAMED",
            "--add-opens", "java.base/java.lang=ALL-UNNAMED",
            "--add-opens", "java.base/java.util=ALL-UNNAMED",
            "-Dio.netty.tryReflectionSetAccessible=true",
            "-Dio.netty.allocator.useCacheForAllThreads=true",
            "-Dio.netty.allocator.maxOrder=11");

    private final Path dir;
    private final Process process;
    private final int nativePort;
    private final int jmxPort;

    private CassandraServer(Path dir, Process process, int nativePort, int jmxPort) {
        this.dir = dir;
        this.process = process;
        this.nativePort = nativePort;
        this.jmxPort = jmxPort;
    }

    /** The java of JDK 17: {@code -Dcassandra.java}, else Debian's. */
    static String java() {
        String java = System.getProperty("cassandra.java", "/usr/lib/jvm/java-17-openjdk-amd64/bin/java");
        if (!Files.isExecutable(Path.of(java))) {
            throw new IllegalStateException("Cassandra 5.0 needs a JDK 17 java at " + java
                    + " (apt-get install openjdk-17-jre-headless, or set -Dcassandra.java / CASSANDRA_JAVA)");
        }
        return java;
    }

    /** A child JVM on JDK 17 with this harness's classpath, Cassandra's flags and its logging to {@code dir}. */
    static List<String> javaCommand(Path dir, String heap) throws IOException {
        Files.createDirectories(dir);
        Path logback = dir.resolve("logback.xml");
        Files.writeString(logback, """
                <configuration>
                  <appender name="file" class="ch.qos.logback.core.FileAppender">
                    <file>%s</file>
                    <encoder><pattern>%%d{HH:mm:ss.SSS} %%-5level [%%thread] %%logger{30} - %%msg%%n</pattern></encoder>
                  </appender>
                  <root level="INFO"><appender-ref ref="file"/></root>
                </configuration>
                """.formatted(dir.resolve("system.log")));
        var command = new ArrayList<String>();
        command.add(java());
        command.add("-Xms" + heap);
        command.add("-Xmx" + heap);
        command.addAll(JVM17_OPTIONS);
        command.add("-Dlogback.configurationFile=" + logback);
        command.add("-Dcassandra.storagedir=" + dir);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        return command;
    }

    static CassandraServer start(Path dir, String heap, Duration timeout) throws Exception {
        Files.createDirectories(dir);
        int storagePort = freePort();
        int nativePort = freePort();
        int jmxPort = freePort();
        Path yaml = dir.resolve("cassandra.yaml");
        Files.writeString(yaml, """
                cluster_name: dbcmp
                num_tokens: 1
                partitioner: org.apache.cassandra.dht.Murmur3Partitioner
                endpoint_snitch: SimpleSnitch
                seed_provider:
                  - class_name: org.apache.cassandra.locator.SimpleSeedProvider
                    parameters:
                      - seeds: "127.0.0.1:%d"
                listen_address: 127.0.0.1
                rpc_address: 127.0.0.1
                storage_port: %d
                native_transport_port: %d
                start_native_transport: true
                data_file_directories: [%s]
                commitlog_directory: %s
                saved_caches_directory: %s
                hints_directory: %s
                cdc_raw_directory: %s
                storage_compatibility_mode: NONE
                commitlog_sync: periodic
                commitlog_sync_period: 10000ms
                authenticator: AllowAllAuthenticator
                authorizer: AllowAllAuthorizer
                """.formatted(storagePort, storagePort, nativePort, dir.resolve("data"), dir.resolve("commitlog"),
                dir.resolve("saved_caches"), dir.resolve("hints"), dir.resolve("cdc_raw")));
        var command = javaCommand(dir, heap);
        int cp = command.indexOf("-cp");
        command.addAll(cp, List.of(
                "-Dcassandra.config=file://" + yaml,
                "-Dcassandra-foreground=yes",
                "-Dcassandra.jmx.local.port=" + jmxPort,
                "-Dcassandra.ring_delay_ms=1000",
                "-Dcassandra.skip_wait_for_gossip_to_settle=0",
                "-Dcassandra.superuser_setup_delay_ms=0",
                "-XX:+HeapDumpOnOutOfMemoryError", "-XX:HeapDumpPath=" + dir));
        command.add("org.apache.cassandra.service.CassandraDaemon");
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("stdout.log").toFile())
                .start();
        var server = new CassandraServer(dir, process, nativePort, jmxPort);
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!server.answers()) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Cassandra exited with " + process.exitValue() + " while starting: "
                        + server.logTail());
            }
            if (System.nanoTime() > deadline) {
                server.close();
                throw new IllegalStateException("Cassandra did not answer on 127.0.0.1:" + nativePort + " within "
                        + timeout.toSeconds() + " s: " + server.logTail());
            }
            Thread.sleep(250);
        }
        return server;
    }

    private boolean answers() {
        try (var socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", nativePort), 200);
            return true;
        } catch (IOException notYet) {
            return false;
        }
    }

    String logTail() {
        for (String log : List.of("system.log", "stdout.log")) {
            try {
                var lines = Files.readAllLines(dir.resolve(log));
                var errors = lines.stream().filter(l -> l.contains("ERROR") || l.contains("Exception")).toList();
                var tail = errors.isEmpty() ? lines.subList(Math.max(0, lines.size() - 15), lines.size()) : errors;
                if (!tail.isEmpty()) {
                    return log + ":\n" + String.join("\n", tail.subList(Math.max(0, tail.size() - 15), tail.size()));
                }
            } catch (IOException ignored) {
                // no such log yet
            }
        }
        return "(no log)";
    }

    InetSocketAddress contactPoint() {
        return new InetSocketAddress("127.0.0.1", nativePort);
    }

    long pid() {
        return process.pid();
    }

    Path dataDir() {
        return dir.resolve("data");
    }

    /** nodetool, in a child JVM on JDK 17 over JMX on loopback; its output. */
    String nodetool(String... args) throws Exception {
        var command = javaCommand(dir.resolve("nodetool"), "256m");
        command.add("org.apache.cassandra.tools.NodeTool");
        command.addAll(List.of("-h", "127.0.0.1", "-p", Integer.toString(jmxPort)));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IllegalStateException("nodetool " + String.join(" ", args) + " failed: " + out);
        }
        return out;
    }

    private static int freePort() throws IOException {
        try (var socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
