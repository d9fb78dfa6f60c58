package dev.memos.api;

import dev.memos.testkit.DocSnippets;
import org.junit.jupiter.api.Test;

/** The MCP client example of docs/agents.md is the code McpServerTest runs. */
class DocSnippetsTest {
    @Test
    void the_documented_mcp_example_is_the_tested_code() {
        DocSnippets.assertShown("memos-api/src/test/java/dev/memos/api/McpServerTest.java", "docs/agents.md", "var transport =", false,
                "docs/agents.md");
    }
}
