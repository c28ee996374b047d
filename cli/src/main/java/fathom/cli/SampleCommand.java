package fathom.cli;

import fathom.Autograd;
import fathom.Rng;
import fathom.Tensor;
import fathom.Tensors;
import fathom.cpu.Parallel;
import fathom.data.text.Tokenizer;
import fathom.models.CharLstm;
import fathom.models.Gpt;
import fathom.models.TokenSampler;
import fathom.nn.LstmState;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * {@code fathom sample}: text from a language model {@code fathom train --text} wrote: the prompt, then
 * {@code --tokens} tokens drawn one at a time (GPT through its KV cache, sliding once its context is
 * full; the char-LSTM carrying its state), with temperature, top-k and top-p as {@link TokenSampler}.
 */
final class SampleCommand implements Subcommand {
    Path run;
    String prompt;
    int tokens;
    double temperature;
    int topK;
    double topP;
    long seed;
    Integer threads;

    @Override
    public void declare(Options o) {
        o.required("--run", "The training run's directory (its --output).", Options.PATH, v -> run = v);
        o.option("--prompt", "", "Text to continue (default: a newline, or the first token).", Options.TEXT, v -> prompt = v);
        o.option("--tokens", "200", "Tokens to generate", Options.INT, v -> tokens = v);
        o.option("--temperature", "0.8", "Softmax temperature; 0 = greedy", Options.NUMBER, v -> temperature = v);
        o.option("--top-k", "0", "Draw among the k most likely tokens; 0 = all", Options.INT, v -> topK = v);
        o.option("--top-p", "1", "Nucleus sampling: the most likely tokens holding this probability; 1 = all", Options.NUMBER, v -> topP = v);
        o.option("--seed", "0", "Seed of the draws", Options.LONG, v -> seed = v);
        o.option("--threads", null, "Threads (default: all cores, or FATHOM_THREADS).", Options.INT, v -> threads = v);
    }

    @Override
    public int run() throws Exception {
        if (threads != null) {
            Parallel.setThreads(threads);
        }
        if (tokens < 0) {
            throw new IllegalArgumentException("--tokens must be ≥ 0, got " + tokens);
        }
        TextModel.Run r = TextModel.open(run);
        TokenSampler sampler = new TokenSampler(temperature, topK, topP);
        int[] ids = promptIds(r.tokenizer(), prompt);
        long t0 = System.nanoTime();
        int[] generated = switch (r.model()) {
            case Gpt gpt -> generate(gpt, ids, tokens, sampler, new Rng(seed));
            case CharLstm lstm -> generate(lstm, ids, tokens, sampler, new Rng(seed));
            default -> throw new IllegalStateException("not a language model: " + r.model().getClass().getSimpleName());
        };
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.println(prompt + r.tokenizer().decode(generated));
        System.err.printf(Locale.ROOT, "(%d tokens in %.2f s, %.0f tokens/s; %s)%n", tokens, seconds, tokens / Math.max(seconds, 1e-9),
                r.spec().describe());
        return 0;
    }

    /** The prompt's ids; an empty prompt starts from a newline when the vocabulary has one, else from token 0. */
    static int[] promptIds(Tokenizer tok, String prompt) {
        if (!prompt.isEmpty()) {
            return tok.encode(prompt);
        }
        try {
            return tok.encode("\n");
        } catch (IllegalArgumentException e) {
            return new int[] {0};
        }
    }

    /** The {@code n} tokens GPT draws after {@code prompt}, using its KV cache ({@link Gpt#generate}). */
    static int[] generate(Gpt gpt, int[] prompt, int n, TokenSampler sampler, Rng rng) {
        Tensor all = gpt.generate(Tensors.of(Arrays.stream(prompt).asLongStream().toArray(), 1, prompt.length), n, sampler, rng);
        long[] ids = all.toLongArray();
        return Arrays.stream(ids, prompt.length, ids.length).mapToInt(x -> (int) x).toArray();
    }

    /** The {@code n} tokens the char-LSTM draws after {@code prompt}, carrying its state from one token to the next. */
    static int[] generate(CharLstm lstm, int[] prompt, int n, TokenSampler sampler, Rng rng) {
        int[] out = new int[n];
        boolean wasTraining = lstm.isTraining();
        lstm.eval();
        try (var _ = Autograd.noGrad()) {
            CharLstm.Step s = lstm.run(Tensors.of(Arrays.stream(prompt).asLongStream().toArray(), 1, prompt.length), null);
            Tensor logits = s.logits().select(1, -1);
            LstmState state = s.state();
            for (int i = 0; i < n; i++) {
                Tensor next = sampler.sample(logits, rng);
                out[i] = (int) next.toLongArray()[0];
                if (i < n - 1) {
                    CharLstm.Step st = lstm.step(next, state);
                    logits = st.logits();
                    state = st.state();
                }
            }
        } finally {
            lstm.train(wasTraining);
        }
        return out;
    }
}
