package fathom.models;

import fathom.Rng;
import fathom.Tensor;
import fathom.nn.BatchNorm2d;
import fathom.nn.Conv2d;
import fathom.nn.Conv2dConfig;
import fathom.nn.Module;
import fathom.nn.Sequential;

/**
 * ResNet's basic block, relu(bn2(conv2(relu(bn1(conv1(x))))) + shortcut(x)), two 3×3 convolutions
 * without bias: x [N, C, H, W] gives [N, planes, H/stride, W/stride]. The shortcut is the identity, or
 * {@code downsample} = Sequential(1×1 convolution with the stride, BatchNorm2d) when the stride or the
 * width changes. Children named as torchvision's {@code BasicBlock}: conv1, bn1, conv2, bn2, downsample.0/1.
 */
public final class BasicBlock extends Module {
    private final Conv2d conv1;
    private final BatchNorm2d bn1;
    private final Conv2d conv2;
    private final BatchNorm2d bn2;
    private final Sequential downsample;

    /** A block from {@code inPlanes} to {@code planes} channels; the first convolution has {@code stride}. */
    public BasicBlock(int inPlanes, int planes, int stride, Rng rng) {
        conv1 = child("conv1", ResNet.conv(new Conv2dConfig(inPlanes, planes, 3).withStride(stride).withPadding(1).withBias(false), rng));
        bn1 = child("bn1", new BatchNorm2d(planes));
        conv2 = child("conv2", ResNet.conv(new Conv2dConfig(planes, planes, 3).withPadding(1).withBias(false), rng));
        bn2 = child("bn2", new BatchNorm2d(planes));
        downsample = stride != 1 || inPlanes != planes
                ? child("downsample", new Sequential(ResNet.conv(new Conv2dConfig(inPlanes, planes, 1).withStride(stride).withBias(false), rng),
                        new BatchNorm2d(planes)))
                : null;
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor out = bn1.call(conv1.call(x)).relu();
        out = bn2.call(conv2.call(out));
        return out.add(downsample == null ? x : downsample.call(x)).relu();
    }
}
