#!/usr/bin/env python3
"""Loads adapter folders written by this project with Python's peft and checks that peft reads them as we meant.

Run where torch, transformers, peft and safetensors are installed (not on the build machines, which have no
Python ML stack). For every adapter folder given:

  1. PeftModel.from_pretrained(base, folder) must succeed (BOTTLENECK is ours, not a peft type: it is skipped
     with a note, since peft refuses unknown types by design).
  2. The keys and shapes peft's get_peft_model_state_dict returns must equal those in our adapter_model.safetensors.
  3. peft's save_pretrained of the loaded model must write the same tensor keys and the same peft_type.
  4. The logits of the adapted model on a fixed input are printed beside those of the base, so a silent no-op
     (adapter loaded but not applied) shows.

Usage:
  python check_peft_adapters.py BASE_MODEL_DIR ADAPTER_DIR [ADAPTER_DIR ...]

BASE_MODEL_DIR is a model folder this project wrote (config.json + model.safetensors, e.g. the quickstart's pretrain
output); ADAPTER_DIR an output folder of an SFT run with method lora, prompt_tuning, prefix_tuning, p_tuning,
ln_tuning or ia3 on that base (adapter_config.json + adapter_model.safetensors).
"""
import json
import sys
import tempfile
from pathlib import Path

import torch
from peft import PeftModel
from peft.utils import get_peft_model_state_dict
from safetensors import safe_open
from transformers import AutoModelForCausalLM


def tensor_shapes(path: Path) -> dict:
    with safe_open(str(path), framework="pt") as f:
        return {k: tuple(f.get_slice(k).get_shape()) for k in f.keys()}


def check(base_dir: str, adapter_dir: Path) -> bool:
    config = json.loads((adapter_dir / "adapter_config.json").read_text())
    if config["peft_type"] == "BOTTLENECK":
        print(f"{adapter_dir}: BOTTLENECK is this project's own type (peft has no bottleneck adapter); skipped")
        return True
    base = AutoModelForCausalLM.from_pretrained(base_dir, torch_dtype=torch.float32)
    ids = torch.tensor([[1, 2, 3, 4, 5]])
    with torch.no_grad():
        base_logits = base(ids).logits
    model = PeftModel.from_pretrained(base, str(adapter_dir))
    ours = tensor_shapes(adapter_dir / "adapter_model.safetensors")
    theirs = {k: tuple(v.shape) for k, v in get_peft_model_state_dict(model).items()}
    ok = ours == theirs
    if not ok:
        print(f"{adapter_dir}: keys differ\n  only ours: {sorted(set(ours) - set(theirs))}\n  only peft's: {sorted(set(theirs) - set(ours))}")
        for k in set(ours) & set(theirs):
            if ours[k] != theirs[k]:
                print(f"  {k}: ours {ours[k]}, peft {theirs[k]}")
    with tempfile.TemporaryDirectory() as out:
        model.save_pretrained(out)
        saved = tensor_shapes(Path(out) / "adapter_model.safetensors")
        saved_type = json.loads((Path(out) / "adapter_config.json").read_text())["peft_type"]
        if saved != ours or saved_type != config["peft_type"]:
            ok = False
            print(f"{adapter_dir}: peft re-saves {saved_type} with keys {sorted(saved)}")
    with torch.no_grad():
        logits = model(input_ids=ids).logits
    change = (logits - base_logits).abs().max().item()
    print(f"{adapter_dir}: {config['peft_type']} {'OK' if ok else 'MISMATCH'}; max |logit change| vs base {change:.4g}")
    return ok


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    results = [check(sys.argv[1], Path(d)) for d in sys.argv[2:]]
    sys.exit(0 if all(results) else 1)
