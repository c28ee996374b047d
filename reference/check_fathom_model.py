"""Checks that a model file Fathom wrote loads in PyTorch and computes what Fathom computed.

Reads models/src/test/resources/reference/fathom_mlp.safetensors (written by Fathom's
PytorchInteropTest) with a reader that follows the safetensors specification, loads it into
nn.Sequential(nn.Flatten(), nn.Linear(784, 32), nn.ReLU(), nn.Linear(32, 10)) with strict=True, runs
the stored input and compares the logits with Fathom's. Run with Debian's python3-torch:
    /usr/bin/python3 reference/check_fathom_model.py
"""
import json
import struct
import sys
from pathlib import Path

import numpy as np
import torch
from torch import nn

DTYPES = {"F32": np.float32, "F64": np.float64, "I64": np.int64, "I32": np.int32}
HERE = Path(__file__).resolve().parent.parent / "models/src/test/resources/reference"


def read(path):
    data = path.read_bytes()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n])
    header.pop("__metadata__", None)
    body = data[8 + n:]
    out = {}
    for name, e in header.items():
        b, end = e["data_offsets"]
        out[name] = torch.from_numpy(np.frombuffer(body[b:end], dtype=DTYPES[e["dtype"]]).reshape(e["shape"]).copy())
    return out


model = nn.Sequential(nn.Flatten(), nn.Linear(784, 32), nn.ReLU(), nn.Linear(32, 10))
model.load_state_dict(read(HERE / "fathom_mlp.safetensors"), strict=True)
io = read(HERE / "fathom_mlp_io.safetensors")
with torch.no_grad():
    got = model(io["input"])
err = (got - io["logits"]).abs().max().item()
print(f"torch {torch.__version__}: loaded Fathom's weights with strict=True; max |torch - fathom| logits = {err:.2e}")
sys.exit(0 if err < 1e-5 else 1)
