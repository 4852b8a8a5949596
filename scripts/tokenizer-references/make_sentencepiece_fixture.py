#!/usr/bin/env python3
"""Writes tests/Pipeline.Tokenizers.Tests/Fixtures/sentencepiece/: two tiny SentencePiece models trained on the
non-empty lines of /usr/share/common-licenses/GPL-3, and the ids SentencePiece itself gives for fixed texts.

  llama-bpe.model     BPE as Llama 2 trains it: byte_fallback, split_digits, add_dummy_prefix, identity normalization,
                      whitespace kept as is
  unigram.model       Unigram with identity normalization (no precompiled charsmap, so the file stays small)

Regenerate (Debian: apt-get install python3-sentencepiece; training is deterministic on one thread):
  /usr/bin/python3 scripts/tokenizer-references/make_sentencepiece_fixture.py
"""
import json
import os
import pathlib
import tempfile

import sentencepiece as spm

ROOT = pathlib.Path(__file__).resolve().parents[2]
OUT = ROOT / "tests/Pipeline.Tokenizers.Tests/Fixtures/sentencepiece"
CORPUS = pathlib.Path("/usr/share/common-licenses/GPL-3")

TEXTS = [
    "This program is free software: you can redistribute it.",
    "Hello, world! 1234567 and 3.14159",
    "  leading spaces\n\n\ttabs and   trailing   ",
    "caf\u00e9 na\u00efve \u00c5ngstr\u00f6m",
    "\u6771\u4eac \U0001F642 emoji",
    "\U0001d400\U0001d401's and \U00020bb7",
    "GNU General Public License, version 3",
]

MODELS = {
    "llama-bpe": dict(model_type="bpe", vocab_size=400, byte_fallback=True, split_digits=True,
                      add_dummy_prefix=True, normalization_rule_name="identity", remove_extra_whitespaces=False,
                      allow_whitespace_only_pieces=True, character_coverage=1.0),
    "unigram": dict(model_type="unigram", vocab_size=300, normalization_rule_name="identity", character_coverage=1.0),
}

OUT.mkdir(parents=True, exist_ok=True)
with tempfile.TemporaryDirectory() as tmp:
    # Relative names: the trainer stores its input and prefix in the model, so the files do not vary with tmp.
    os.chdir(tmp)
    corpus = pathlib.Path("corpus.txt")
    corpus.write_text("\n".join(line for line in CORPUS.read_text().splitlines() if line.strip()) + "\n")
    cases = []
    for name, options in MODELS.items():
        prefix = name
        spm.SentencePieceTrainer.train(input=str(corpus), model_prefix=prefix, num_threads=1,
                                       minloglevel=2, **options)
        model_bytes = pathlib.Path(prefix + ".model").read_bytes()
        (OUT / f"{name}.model").write_bytes(model_bytes)
        processor = spm.SentencePieceProcessor(model_proto=model_bytes)
        for text in TEXTS:
            cases.append({"model": f"{name}.model", "text": text, "ids": processor.encode(text)})

with open(OUT / "reference_encodings.json", "w", encoding="utf-8") as f:
    f.write('{\n  "generator": "sentencepiece %s (Debian python3-sentencepiece), SentencePieceProcessor.encode",\n  "cases": [\n'
            % spm.__version__)
    f.write(",\n".join("    " + json.dumps(c, ensure_ascii=False) for c in cases))
    f.write("\n  ]\n}\n")
print(f"wrote {len(cases)} cases")
