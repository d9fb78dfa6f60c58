package dev.memos.langchain4j;

import dev.memos.testkit.DocSnippets;
import org.junit.jupiter.api.Test;

/** The LangChain4j examples of the README and docs/agents.md are RememberingAssistant's code. */
class DocSnippetsTest {
    @Test
    void the_documented_examples_are_the_compiled_code() {
        DocSnippets.assertShown("memos-langchain4j/src/main/java/dev/memos/langchain4j/RememberingAssistant.java", "docs/agents.md",
                "MemosChatMemoryStore store =", false, "README.md", "docs/agents.md");
    }
}
