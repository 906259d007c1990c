import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;

import sun.misc.Signal;

/**
 * Runs Neo4j Community as a local server with a Bolt connector.
 *
 * Usage: java Launcher HOME_DIR CONF_FILE PASSWORD_FILE
 *
 * All settings (listen address, port, memory) come from CONF_FILE, written by
 * `techreg neo4j start`. The password of user neo4j is set from PASSWORD_FILE so
 * that it never appears on a command line.
 *
 * SIGINT and SIGTERM shut the server down cleanly (its own handlers, installed whatever the
 * process inherited; `techreg neo4j start` starts it with both at their defaults, since a
 * JVM cannot take over a signal that was ignored when it started). A second signal during
 * the shutdown ends the process at once. On the way out the pid file (HOME_DIR/server.json)
 * is removed if it still names this process.
 */
public final class Launcher {
    private static final AtomicBoolean STOPPING = new AtomicBoolean();

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: Launcher HOME_DIR CONF_FILE PASSWORD_FILE");
            System.exit(2);
        }
        Path home = Path.of(args[0]);
        Path conf = Path.of(args[1]);
        String password = Files.readString(Path.of(args[2])).strip();

        DatabaseManagementService service =
                new DatabaseManagementServiceBuilder(home).loadPropertiesFromFile(conf).build();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            service.shutdown();
            forgetPid(home);
            stopped.countDown();
        }));
        handle("INT");
        handle("TERM");
        setPassword(service, password);
        System.out.println("techreg-neo4j ready");
        System.out.flush();
        stopped.await();
    }

    /** The first signal starts a clean shutdown (the hook above); a second one halts. */
    private static void handle(String name) {
        try {
            Signal.handle(new Signal(name), signal -> {
                if (STOPPING.getAndSet(true)) {
                    Runtime.getRuntime().halt(128 + signal.getNumber());
                }
                System.out.println("techreg-neo4j stopping (SIG" + name + ")");
                System.out.flush();
                new Thread(() -> System.exit(0), "techreg-shutdown").start();
            });
        } catch (IllegalArgumentException e) {
            System.err.println("techreg-neo4j: cannot handle SIG" + name + ": " + e.getMessage());
        }
    }

    /** Removes HOME_DIR/server.json if it records this process (a newer server's is kept). */
    private static void forgetPid(Path home) {
        Path state = home.resolve("server.json");
        try {
            String text = Files.readString(state);
            if (text.matches("(?s).*\"pid\":\\s*" + ProcessHandle.current().pid() + "\\b.*")) {
                Files.deleteIfExists(state);
            }
        } catch (java.io.IOException e) {
            // no pid file, or unreadable: nothing to forget
        }
    }

    /** Makes the neo4j user's password the one in the password file (no change required). */
    private static void setPassword(DatabaseManagementService service, String password) {
        try {
            service.database("system").executeTransactionally(
                    "ALTER USER neo4j SET PLAINTEXT PASSWORD $password CHANGE NOT REQUIRED",
                    Map.of("password", password));
        } catch (RuntimeException e) {
            // Neo4j refuses to set the password it already has; anything else is fatal.
            if (!String.valueOf(e.getMessage()).contains("Old password and new password cannot be the same")) {
                throw e;
            }
        }
    }
}
