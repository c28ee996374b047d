package fathom.cli;

import static fathom.cli.DemoCommandTest.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fathom.data.ByteImageDataset;
import fathom.data.Cifar10;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** fathom train, eval, predict, summary and show with the convolutional families, on Fashion-MNIST's sample and a CIFAR-10 directory. */
class CnnCommandTest {
    @TempDir
    Path dir;

    @Test
    void leNetTrainsOnTheSampleAndWritesItsPictures() throws IOException {
        String out = run("train", "--model", "lenet", "--data", "fashion-mnist-sample", "--epochs", "1", "--output", dir.toString());
        Matcher m = Pattern.compile("Test accuracy: ([0-9.]+)%").matcher(out);
        assertTrue(m.find() && Double.parseDouble(m.group(1)) > 40, "LeNet learns well past chance (10%) in one epoch of 6,000 images: " + out);
        assertTrue(out.contains("61,706 parameters"), out);
        for (String f : new String[] {"model.safetensors", "predictions.png", "filters.png", "confusion.png"}) {
            assertTrue(Files.exists(dir.resolve(f)), f + " was written");
        }
        BufferedImage filters = ImageIO.read(dir.resolve("filters.png").toFile());
        assertTrue(filters.getWidth() > 100 && filters.getHeight() > 60, "six 5x5 filters, enlarged");
        String eval = run("eval", "--run", dir.toString(), "--data", "fashion-mnist-sample");
        assertTrue(eval.contains("accuracy " + m.group(1).substring(0, 2)), "eval reproduces the training run's accuracy: " + eval);
        String predict = run("predict", "--run", dir.toString(), "--data", "fashion-mnist-sample", "--index", "0");
        assertTrue(predict.contains("true class: Ankle boot"), predict);
        assertTrue(run("summary", "--run", dir.toString()).contains("61,706"));
        Path shown = dir.resolve("shown");
        String show = run("show", "--run", dir.toString(), "--data", "fashion-mnist-sample", "--output", shown.toString());
        assertTrue(show.contains("predictions.png, filters.png"), show);
        assertArrayEquals(Files.readAllBytes(dir.resolve("predictions.png")), Files.readAllBytes(shown.resolve("predictions.png")),
                "show draws what train drew, from the saved model");
    }

    @Test
    void summaryBuildsEachFamilyWithPytorchsParameterCount() {
        assertTrue(run("summary", "--model", "resnet", "--width", "16").contains("701,178"));
        assertTrue(run("summary", "--model", "vgg").contains("585,066"));
    }

    @Test
    void aNarrowResNetTrainsOnACifarDirectoryWithAugmentation() throws IOException {
        Path data = cifarDirectory(dir.resolve("cifar"), 40, 30);
        ByteImageDataset read = Cifar10.load(data, true);
        assertEquals(200, read.size());
        Path out = dir.resolve("run");
        String train = run("train", "--model", "resnet", "--width", "4", "--blocks", "1,1", "--augment", "--data", data.toString(),
                "--epochs", "1", "--batch-size", "50", "--output", out.toString());
        assertTrue(train.contains("CIFAR-10 binary batches") && train.contains("200 training and 30 test samples"), train);
        assertTrue(train.contains("augmenting training images"), train);
        assertTrue(Files.exists(out.resolve("filters.png")) && Files.exists(out.resolve("predictions.png")), train);
        String eval = run("eval", "--run", out.toString(), "--data", data.toString());
        assertTrue(eval.contains("resnet in=3 width=4 blocks=1,1 classes=10") && eval.contains("30 test samples"), eval);
        String vgg = run("train", "--model", "vgg", "--width", "4", "--data", data.toString(), "--epochs", "1", "--batch-size", "50",
                "--output", dir.resolve("vgg").toString());
        assertTrue(vgg.contains("vgg in=3 size=32x32 widths=4,8,16 hidden=256 classes=10"), vgg);
    }

    /** CIFAR-10's binary layout: per record a label byte, then the red, green and blue 32x32 planes; five training files and a test file. */
    static Path cifarDirectory(Path dir, int perBatch, int test) throws IOException {
        Files.createDirectories(dir);
        Random r = new Random(1);
        for (int b = 1; b <= 6; b++) {
            int n = b == 6 ? test : perBatch;
            byte[] bytes = new byte[n * Cifar10.RECORD_BYTES];
            for (int i = 0; i < n; i++) {
                int label = r.nextInt(10);
                bytes[i * Cifar10.RECORD_BYTES] = (byte) label;
                for (int k = 1; k < Cifar10.RECORD_BYTES; k++) {
                    bytes[i * Cifar10.RECORD_BYTES + k] = (byte) (25 * label + r.nextInt(20)); // brightness follows the class
                }
            }
            Files.write(dir.resolve(b == 6 ? "test_batch.bin" : "data_batch_" + b + ".bin"), bytes);
        }
        return dir;
    }
}
