package fathom.train;

import fathom.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/** Mean absolute error ({@code mae}) and mean squared error ({@code mse}) over all elements of outputs and targets of one shape. */
public final class RegressionMetrics implements Metric {
    private double absSum;
    private double sqSum;
    private long count;

    @Override
    public void update(Tensor output, Tensor target) {
        Tensor diff = output.sub(target.to(output.dtype()).reshape(output.shape().toArray()));
        absSum += diff.abs().sum().item();
        sqSum += diff.square().sum().item();
        count += diff.numel();
    }

    @Override
    public Map<String, Double> values() {
        Map<String, Double> v = new LinkedHashMap<>();
        v.put("mae", count == 0 ? Double.NaN : absSum / count);
        v.put("mse", count == 0 ? Double.NaN : sqSum / count);
        return v;
    }

    @Override
    public void reset() {
        absSum = 0;
        sqSum = 0;
        count = 0;
    }
}
