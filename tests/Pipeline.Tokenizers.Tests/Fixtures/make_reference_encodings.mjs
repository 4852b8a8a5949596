// Writes qwen2-style/reference_encodings.json: the ids Hugging Face's own JavaScript port of tokenizers
// (@huggingface/tokenizers 0.2.0, tokenizers.js) gives for fixed texts, so the tests compare our encoder
// with an independent implementation of the same tokenizer.json.
//
// qwen2-style/tokenizer.json was made by ByteLevelBpeTrainer (VocabSize 330, trained on the non-empty lines
// of /usr/share/common-licenses/GPL-3, ChatTemplateName "qwen2", EosToken "<|im_end|>") and then edited to
// Qwen2's layout: NFC normalizer, Split with Qwen2's regex + ByteLevel(use_regex=false), merges as pairs.
//
// Regenerate (no network needed once the package is installed):
//   mkdir /tmp/hfjs && cd /tmp/hfjs && npm install @huggingface/tokenizers@0.2.0
//   node <repo>/tests/Pipeline.Tokenizers.Tests/Fixtures/make_reference_encodings.mjs <repo>/tests/Pipeline.Tokenizers.Tests/Fixtures/qwen2-style
import { createRequire } from "module";
import fs from "fs";
import path from "path";

const require = createRequire(path.join(process.cwd(), "/"));
const { Tokenizer } = require("@huggingface/tokenizers");
const dir = process.argv[2];
const tokenizer = new Tokenizer(
  JSON.parse(fs.readFileSync(path.join(dir, "tokenizer.json"), "utf8")),
  JSON.parse(fs.readFileSync(path.join(dir, "tokenizer_config.json"), "utf8")));

const texts = [
  "This program is free software: you can redistribute it and/or modify it.",
  "<|im_start|>user\nWhat does the GPL say about warranties?<|im_end|>\n<|im_start|>assistant\n",
  "  leading spaces\n\n\ttabs and   trailing   ",
  "I'm sure it's OK, WE'LL see; they'd've DONE it.",
  "Numbers: 1234567 3.14159 0x1F 2024-11-23",
  "caf\u00e9 and cafe\u0301 (NFC makes them equal), na\u00efve \u212b",
  "\u6771\u4eac\u3068\u5927\u962a \ud83d\ude42\ud83d\ude80 emoji!!",
  "line one\r\nline two\n\n\nline five",
  "<|endoftext|>Copyright (C) 2007 Free Software Foundation, Inc.<|endoftext|>",
];
const cases = texts.map((text) => ({ text, ids: tokenizer.encode(text, { add_special_tokens: false }).ids }));
const body = cases.map((c) => "    " + JSON.stringify(c)).join(",\n");
fs.writeFileSync(path.join(dir, "reference_encodings.json"),
  `{\n  "generator": "@huggingface/tokenizers 0.2.0",\n  "cases": [\n${body}\n  ]\n}\n`);
console.log(`wrote ${cases.length} cases`);
