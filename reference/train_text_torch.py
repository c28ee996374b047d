"""Learning check for `fathom train --text`: the same char-LSTM and GPT recipes, trained the same way
in PyTorch, for the seed-to-seed spread of the loss after a fixed number of steps.

Same data as Fathom: the Jargon File (Debian jargon-text), one token per character (the text's distinct
code points in order), the last 10 % of the characters held out (cut at floor(0.9 n + 0.5), as Java's
Math.round); each step a batch of 32 windows of 64 tokens starting at uniformly drawn positions of the
training tokens; validation on the non-overlapping windows of the held-out tokens, each from a fresh state.

Recipes (the sequence-models issue):
  lstm: Embedding(V, 64), LSTM(64, 256), Linear(256, V); Adam lr 2e-3 (PyTorch's default init, as Fathom's).
  gpt:  nanoGPT layout as fathom.models.Gpt: 4 pre-LN blocks, d_model 128, 4 heads, ff 512, exact GELU,
        learned positions, no lm_head bias; weights N(0, 0.02), residual projections N(0, 0.02/sqrt(2L));
        AdamW lr 1e-3 (weight decay 0.01, PyTorch's default, on every parameter as Fathom's --optimizer adamw).

    OMP_WAIT_POLICY=PASSIVE OMP_NUM_THREADS=2 /usr/bin/python3 reference/train_text_torch.py lstm 100 0 1 2 3 4
"""
import gzip
import math
import sys

import torch
from torch import nn
import torch.nn.functional as F

JARGON = "/usr/share/doc/jargon-text/jargon.txt.gz"
SEQ, BATCH = 64, 32


class CharLstm(nn.Module):
    def __init__(self, vocab):
        super().__init__()
        self.embedding = nn.Embedding(vocab, 64)
        self.lstm = nn.LSTM(64, 256, batch_first=True)
        self.head = nn.Linear(256, vocab)

    def forward(self, x):
        return self.head(self.lstm(self.embedding(x))[0])


class Block(nn.Module):
    def __init__(self, d, heads, ff):
        super().__init__()
        self.heads = heads
        self.ln_1 = nn.LayerNorm(d)
        self.c_attn = nn.Linear(d, 3 * d)
        self.c_proj = nn.Linear(d, d)
        self.ln_2 = nn.LayerNorm(d)
        self.c_fc = nn.Linear(d, ff)
        self.mlp_proj = nn.Linear(ff, d)

    def forward(self, x):
        b, t, c = x.shape
        q, k, v = self.c_attn(self.ln_1(x)).split(c, 2)
        q, k, v = (z.view(b, t, self.heads, c // self.heads).transpose(1, 2) for z in (q, k, v))
        att = (q @ k.transpose(-2, -1)) / math.sqrt(c // self.heads)
        att = att.masked_fill(torch.triu(torch.ones(t, t, dtype=torch.bool), 1), float("-inf")).softmax(-1)
        x = x + self.c_proj((att @ v).transpose(1, 2).reshape(b, t, c))
        return x + self.mlp_proj(F.gelu(self.c_fc(self.ln_2(x))))


class Gpt(nn.Module):
    def __init__(self, vocab, layers=4, d=128, heads=4, ff=512, context=SEQ):
        super().__init__()
        self.wte = nn.Embedding(vocab, d)
        self.wpe = nn.Embedding(context, d)
        self.h = nn.ModuleList([Block(d, heads, ff) for _ in range(layers)])
        self.ln_f = nn.LayerNorm(d)
        self.lm_head = nn.Linear(d, vocab, bias=False)
        for m in self.modules():
            if isinstance(m, (nn.Linear, nn.Embedding)):
                nn.init.normal_(m.weight, 0, 0.02)
            if isinstance(m, nn.Linear) and m.bias is not None:
                nn.init.zeros_(m.bias)
        for blk in self.h:
            for proj in (blk.c_proj, blk.mlp_proj):
                nn.init.normal_(proj.weight, 0, 0.02 / math.sqrt(2 * layers))

    def forward(self, x):
        h = self.wte(x) + self.wpe(torch.arange(x.shape[1]))
        for blk in self.h:
            h = blk(h)
        return self.lm_head(self.ln_f(h))


def data():
    text = gzip.open(JARGON).read().decode("utf-8")
    vocab = sorted(set(text))
    index = {ch: i for i, ch in enumerate(vocab)}
    ids = torch.tensor([index[ch] for ch in text], dtype=torch.long)
    cut = math.floor(len(text) * 0.9 + 0.5)
    return len(vocab), ids[:cut], ids[cut:]


def evaluate(model, val):
    n = (len(val) - SEQ - 1) // SEQ + 1
    starts = torch.arange(n) * SEQ
    total = 0.0
    model.eval()
    with torch.no_grad():
        for i in range(0, n, BATCH):
            s = starts[i:i + BATCH]
            x = torch.stack([val[j:j + SEQ] for j in s])
            y = torch.stack([val[j + 1:j + 1 + SEQ] for j in s])
            logits = model(x)
            total += F.cross_entropy(logits.reshape(-1, logits.shape[-1]), y.reshape(-1)).item() * len(s)
    model.train()
    return total / n


def run(what, steps, seed, vocab, train, val):
    torch.manual_seed(seed)
    if what == "lstm":
        model = CharLstm(vocab)
        opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    else:
        model = Gpt(vocab)
        opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    loss = None
    for _ in range(steps):
        s = torch.randint(0, len(train) - SEQ, (BATCH,))
        x = torch.stack([train[j:j + SEQ] for j in s])
        y = torch.stack([train[j + 1:j + 1 + SEQ] for j in s])
        logits = model(x)
        loss = F.cross_entropy(logits.reshape(-1, vocab), y.reshape(-1))
        opt.zero_grad()
        loss.backward()
        opt.step()
    return loss.item(), evaluate(model, val)


def main():
    what = sys.argv[1] if len(sys.argv) > 1 else "lstm"
    steps = int(sys.argv[2]) if len(sys.argv) > 2 else 100
    seeds = [int(s) for s in sys.argv[3:]] or [0, 1, 2, 3, 4]
    torch.set_num_threads(2)
    vocab, train, val = data()
    print(f"torch {torch.__version__}, {what}, vocab {vocab}, {len(train)} training / {len(val)} validation tokens, {steps} steps")
    vals = []
    for seed in seeds:
        train_loss, val_loss = run(what, steps, seed, vocab, train, val)
        vals.append(val_loss)
        print(f"seed {seed}: step-{steps} training loss {train_loss:.4f}, validation loss {val_loss:.4f} "
              f"({val_loss / math.log(2):.3f} bits/char)")
    mean = sum(vals) / len(vals)
    sd = (sum((v - mean) ** 2 for v in vals) / max(1, len(vals) - 1)) ** 0.5
    print(f"validation loss at step {steps}: min {min(vals):.4f}, max {max(vals):.4f}, mean {mean:.4f}, sd {sd:.4f}")


if __name__ == "__main__":
    main()
