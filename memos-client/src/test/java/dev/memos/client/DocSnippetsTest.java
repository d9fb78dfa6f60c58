package dev.memos.client;

import dev.memos.testkit.DocSnippets;
import org.junit.jupiter.api.Test;

/** The client examples of the README and docs/client.md are the code MemosClientIT runs (the README shows its
 * beginning). */
class DocSnippetsTest {
    @Test
    void the_documented_examples_are_the_tested_code() {
        DocSnippets.assertShown("memos-client/src/test/java/dev/memos/client/MemosClientIT.java", "docs/client.md",
                "MemosClient memos = MemosClient.builder()", true, "README.md", "docs/client.md");
    }
}
