package fathom.testing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every op spec, by name; the parameterized tests walk {@link #all()}. */
public final class OpRegistry {
    private static final Map<String, OpSpec> SPECS = build();

    private OpRegistry() {}

    private static Map<String, OpSpec> build() {
        List<OpSpec> all = new ArrayList<>();
        all.addAll(ElementwiseSpecs.all());
        all.addAll(ReductionSpecs.all());
        all.addAll(ShapeSpecs.all());
        all.addAll(IndexSpecs.all());
        all.addAll(LinalgSpecs.all());
        all.addAll(ConvSpecs.all());
        all.addAll(AttentionSpecs.all());
        all.addAll(PoolSpecs.all());
        all.addAll(RecurrentSpecs.all());
        Map<String, OpSpec> map = new LinkedHashMap<>();
        for (OpSpec s : all) {
            if (map.put(s.name(), s) != null) {
                throw new IllegalStateException("two op specs are named " + s.name());
            }
        }
        return Collections.unmodifiableMap(map);
    }

    /** All specs in registration order. */
    public static List<OpSpec> all() {
        return List.copyOf(SPECS.values());
    }

    /** The spec named {@code name}, or null. */
    public static OpSpec get(String name) {
        return SPECS.get(name);
    }
}
