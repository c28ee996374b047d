package fathom.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fathom.Autograd;
import fathom.Rng;
import fathom.Tensor;
import fathom.Tensors;
import fathom.io.Safetensors;
import fathom.nn.CrossEntropyLoss;
import fathom.nn.Module;
import fathom.optim.Adam;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * LeNet, Vgg and ResNet: output shapes, parameter counts equal to the same PyTorch modules (counted by
 * reference/make_cnn_fixtures.py), PyTorch's logits from PyTorch's weights (state dicts load strictly,
 * so the names are PyTorch's), and one batch overfits.
 */
class CnnModelsTest {
    @Test
    void leNetHasTheIssuesLayoutAndPytorchsParameterCount() {
        Module fm = LeNet.create(LeNet.Config.fashionMnist(), new Rng(0));
        assertEquals(61_706, fm.parameterCount());
        assertEquals(400, LeNet.Config.fashionMnist().flattened());
        assertArrayEquals(new int[] {3, 10}, fm.call(Tensors.rand(new Rng(1), 3, 1, 28, 28)).shape().toArray());
        LeNet.Config cifar = new LeNet.Config(3, 32, 32, 10);
        assertEquals(576, cifar.flattened(), "16 x 6 x 6 after two poolings of 32x32");
        Module c = LeNet.create(cifar, new Rng(0));
        assertEquals(83_126, c.parameterCount());
        assertArrayEquals(new int[] {2, 10}, c.call(Tensors.rand(new Rng(1), 2, 3, 32, 32)).shape().toArray());
        assertEquals(List.of("0.weight", "0.bias", "3.weight", "3.bias", "7.weight", "7.bias", "9.weight", "9.bias", "11.weight", "11.bias"),
                List.copyOf(fm.stateDict().keySet()));
        assertEquals(cifar, LeNet.Config.parse(cifar.describe()));
    }

    @Test
    void vggAndResNetHavePytorchsParameterCounts() {
        Vgg vgg = new Vgg(Vgg.Config.small(1, 28, 28, 10), new Rng(0));
        assertEquals(585_066, vgg.parameterCount());
        assertArrayEquals(new int[] {2, 10}, vgg.call(Tensors.rand(new Rng(1), 2, 1, 28, 28)).shape().toArray());
        assertEquals(11_173_962, new ResNet(ResNet.Config.resnet18(3, 64, 10), new Rng(0)).parameterCount(), "ResNet-18, small-image stem");
        assertEquals(2_797_034, new ResNet(ResNet.Config.resnet18(1, 32, 10), new Rng(0)).parameterCount());
        ResNet narrow = new ResNet(ResNet.Config.resnet18(1, 16, 10), new Rng(0));
        assertEquals(701_178, narrow.parameterCount());
        assertArrayEquals(new int[] {2, 10}, narrow.call(Tensors.rand(new Rng(1), 2, 1, 28, 28)).shape().toArray());
        ResNet.Config c = new ResNet.Config(3, 8, new int[] {1, 2, 1}, 7);
        assertEquals(c.describe(), ResNet.Config.parse(c.describe()).describe());
    }

    @Test
    void resNetNamesItsWeightsAsTorchvision() {
        Map<String, Tensor> sd = new ResNet(ResNet.Config.resnet18(3, 8, 10), new Rng(0)).stateDict();
        for (String k : List.of("conv1.weight", "bn1.running_var", "layer1.0.conv1.weight", "layer1.1.bn2.bias", "layer2.0.downsample.0.weight",
                "layer2.0.downsample.1.num_batches_tracked", "layer4.1.conv2.weight", "fc.weight", "fc.bias")) {
            assertTrue(sd.containsKey(k), k + " in " + sd.keySet());
        }
        assertTrue(sd.keySet().stream().noneMatch(k -> k.startsWith("layer1.0.downsample")), "the first stage keeps width and resolution");
        assertEquals(122, sd.size(), "torchvision's resnet18 state dict has 122 entries");
    }

    @Test
    void pytorchWeightsGivePytorchsLogits() throws Exception {
        Map<String, Tensor> ref = fixture();
        check(ref, "lenet", LeNet.create(new LeNet.Config(3, 16, 16, 10), new Rng(0)));
        check(ref, "vgg", new Vgg(new Vgg.Config(1, 8, 8, new int[] {2, 4}, 8, 5), new Rng(0)));
        check(ref, "resnet", new ResNet(new ResNet.Config(1, 4, new int[] {1, 1}, 3), new Rng(0)));
    }

    private static void check(Map<String, Tensor> ref, String name, Module m) {
        Map<String, Tensor> state = new LinkedHashMap<>();
        ref.forEach((k, v) -> {
            if (k.startsWith(name + ".") && !k.equals(name + ".input") && !k.equals(name + ".logits")) {
                state.put(k.substring(name.length() + 1), v);
            }
        });
        m.loadStateDict(state, true);
        m.eval();
        Tensor y;
        try (var _ = Autograd.noGrad()) {
            y = m.call(ref.get(name + ".input"));
        }
        float[] want = ref.get(name + ".logits").toFloatArray();
        float[] got = y.toFloatArray();
        assertEquals(want.length, got.length, name);
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], got[i], 1e-4 + 1e-4 * Math.abs(want[i]), name + " logit " + i);
        }
    }

    private static Map<String, Tensor> fixture() throws Exception {
        try (InputStream in = CnnModelsTest.class.getResourceAsStream("/reference/cnn_models.safetensors")) {
            return Safetensors.read(in.readAllBytes(), "cnn_models.safetensors").tensors();
        }
    }

    @Test
    void eachModelOverfitsOneBatch() {
        Rng rng = new Rng(3);
        Tensor x = Tensors.rand(rng, 8, 1, 16, 16);
        Tensor y = Tensors.randint(rng, 0, 4, 8);
        overfit("lenet", LeNet.create(new LeNet.Config(1, 16, 16, 4), new Rng(0)), x, y, 0.01);
        overfit("vgg", new Vgg(new Vgg.Config(1, 16, 16, new int[] {4, 8}, 16, 4), new Rng(0)), x, y, 0.01);
        overfit("resnet", new ResNet(new ResNet.Config(1, 4, new int[] {1, 1}, 4), new Rng(0)), x, y, 0.01);
    }

    private static void overfit(String name, Module m, Tensor x, Tensor y, double lr) {
        Adam opt = new Adam(m.parameters(), lr);
        CrossEntropyLoss loss = new CrossEntropyLoss();
        double first = 0;
        for (int step = 0; step < 60; step++) {
            opt.zeroGrad();
            Tensor l = loss.apply(m.call(x), y);
            l.backward();
            opt.step();
            if (step == 0) {
                first = l.item();
            }
        }
        m.eval(); // BatchNorm's running statistics have converged to the one batch's; no dropout
        try (var _ = Autograd.noGrad()) {
            Tensor logits = m.call(x);
            double last = loss.apply(logits, y).item();
            double acc = logits.argmax(1, false).eq(y).to(fathom.DType.FLOAT32).mean().item();
            assertTrue(last < 0.1 * first && acc == 1.0, name + ": loss " + first + " -> " + last + " (eval), accuracy " + acc);
        }
    }

    @Test
    void badConfigsNameTheProblem() {
        assertThrows(IllegalArgumentException.class, () -> new LeNet.Config(1, 8, 8, 10));
        assertThrows(IllegalArgumentException.class, () -> new ResNet.Config(1, 0, new int[] {2}, 10));
        assertThrows(IllegalArgumentException.class, () -> new Vgg.Config(1, 4, 4, new int[] {2, 2, 2}, 8, 10));
        assertThrows(IllegalArgumentException.class, () -> ResNet.Config.parse("in=1 width=16"));
    }
}
