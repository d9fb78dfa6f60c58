package dev.memos.kernel;

import dev.memos.kernel.engine.AdapterUse;

import java.util.List;

/** The request to import a LoRA adapter. */
public record AdapterImport(String name, float scale, List<SourceVersion> derivedFrom) {
    public AdapterImport {
        dev.memos.kernel.model.Check.optionalLabel("name", name);
        new AdapterUse("0".repeat(64), scale); // range check
        derivedFrom = derivedFrom == null ? List.of() : derivedFrom.stream().distinct().toList();
        dev.memos.kernel.model.Check.maxSize("derivedFrom", derivedFrom, dev.memos.kernel.model.Limits.MAX_DERIVED_FROM);
    }
}
