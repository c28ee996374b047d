package fathom.nn;

import fathom.Autograd;
import fathom.Shape;
import fathom.Tensor;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/** The table behind {@link Module#summary}: one forward pass on an example input, output shapes recorded by forward hooks. */
final class Summary {
    private Summary() {}

    static String of(Module root, Tensor example) {
        Map<String, Module> modules = root.namedModules();
        Map<Module, Shape> shapes = new IdentityHashMap<>();
        List<Module.HookHandle> handles = new ArrayList<>();
        Map<Module, Boolean> flags = root.trainingFlags();
        Tensor out;
        // eval mode, so that batch norm neither needs a batch of more than one nor updates its running statistics
        try (var _ = Autograd.noGrad()) {
            for (Module m : modules.values()) {
                m.setTrainingFlag(false);
                handles.add(m.registerForwardHook((mod, in, o) -> shapes.put(mod, o.shape())));
            }
            out = root.call(example);
        } finally {
            handles.forEach(Module.HookHandle::close);
            flags.forEach(Module::setTrainingFlag);
        }
        List<String[]> rows = new ArrayList<>();
        for (var e : modules.entrySet()) {
            if (e.getKey().isEmpty()) {
                continue;
            }
            Module m = e.getValue();
            int depth = e.getKey().split("\\.").length - 1;
            Shape s = shapes.get(m);
            rows.add(new String[] {"  ".repeat(depth) + e.getKey(), m.getClass().getSimpleName(), s == null ? "-" : s.toString(),
                    String.format("%,d", m.parameterCount())});
        }
        String[] header = {"Layer", "Type", "Output shape", "Params"};
        int[] w = new int[header.length];
        for (int c = 0; c < w.length; c++) {
            w[c] = header[c].length();
            for (String[] r : rows) {
                w[c] = Math.max(w[c], r[c].length());
            }
        }
        long total = 0;
        long trainable = 0;
        for (Tensor p : root.parameters()) {
            total += p.numel();
            trainable += p.requiresGrad() ? p.numel() : 0;
        }
        StringBuilder sb = new StringBuilder();
        String rule = "=".repeat(w[0] + w[1] + w[2] + w[3] + 6) + "\n";
        sb.append(root.getClass().getSimpleName()).append('\n').append(rule).append(row(header, w)).append(rule);
        for (String[] r : rows) {
            sb.append(row(r, w));
        }
        sb.append(rule)
                .append("Input shape: ").append(example.shape()).append('\n')
                .append("Output shape: ").append(out.shape()).append('\n')
                .append(String.format("Total params: %,d%n", total))
                .append(String.format("Trainable params: %,d%n", trainable))
                .append(String.format("Non-trainable params: %,d%n", total - trainable));
        return sb.toString();
    }

    private static String row(String[] cells, int[] w) {
        return String.format("%-" + w[0] + "s  %-" + w[1] + "s  %-" + w[2] + "s  %" + w[3] + "s%n", (Object[]) cells);
    }
}
