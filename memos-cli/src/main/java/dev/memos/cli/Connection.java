package dev.memos.cli;

import dev.memos.client.MemosClient;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * Where the service is and how to authenticate: flags first, then the environment (MEMOS_URL,
 * MEMOS_API_KEY), then the config file (~/.config/memos/cli.properties, keys url and api-key), then
 * the embedded service's generated key at ./data/admin.key.
 */
final class Connection {
    static final Path CONFIG = Path.of(System.getProperty("user.home"), ".config", "memos", "cli.properties");

    @Option(names = "--url", description = "Service URL (env MEMOS_URL; default http://127.0.0.1:8080).")
    String url;

    @Option(names = "--api-key", description = "API key (env MEMOS_API_KEY; default: config file, then ./data/admin.key).")
    String apiKey;

    @Option(names = {"-o", "--output"}, description = "Output format: ${COMPLETION-CANDIDATES} (default table).")
    Output output;

    enum Output { table, json }

    Output output() {
        return output == null ? Output.table : output;
    }

    /** A client for the service; {@code needsKey}: refuse here, with where to put one, when no key is found. */
    MemosClient client(boolean needsKey) {
        Properties file = new Properties();
        if (Files.isReadable(CONFIG)) {
            try (Reader reader = Files.newBufferedReader(CONFIG)) {
                file.load(reader);
            } catch (IOException e) {
                throw new CliException(ExitCodes.FAILED, "cannot read " + CONFIG + ": " + e.getMessage());
            }
        }
        String base = first(url, System.getenv("MEMOS_URL"), file.getProperty("url"), "http://127.0.0.1:8080");
        String key = first(apiKey, System.getenv("MEMOS_API_KEY"), file.getProperty("api-key"), localAdminKey());
        if (key == null && needsKey) {
            throw new CliException(ExitCodes.DENIED, "no API key: pass --api-key, set MEMOS_API_KEY, or write api-key= to "
                    + CONFIG);
        }
        // a terminal user waits for one quick retry at most before hearing the service is down
        return MemosClient.builder().url(base).apiKey(key).retries(1).build();
    }

    private static String localAdminKey() {
        Path local = Path.of("data", "admin.key");
        try {
            return Files.isReadable(local) ? Files.readString(local).strip() : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static String first(String... values) {
        for (String value : values) {
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        return null;
    }
}
