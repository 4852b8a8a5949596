// Writes reference data computed by Hugging Face tokenizers itself: the npm package "tokenizers" is the Node binding
// of the Rust library (its native module ships inside the package), so these are the Rust library's answers.
//
//   Fixtures/rust-references/pretokenizer_splits.json   pieces of Split (every behaviour, inverted or not), Digits,
//                                                       ByteLevel and Sequence pre-tokenizers, as preTokenizeString
//                                                       returns them (after ByteLevel, pieces are in its alphabet)
//   Fixtures/qwen2-style/rust_reference_encodings.json  ids of the qwen2-style tokenizer for text above U+FFFF
//   Fixtures/prefix-space/                              qwen2-style with ByteLevel add_prefix_space=true, and its ids
//   Fixtures/single-word/                               qwen2-style plus single_word added tokens, and its ids
//   Fixtures/gpt2-vocab-merges/                         qwen2-style's vocabulary as vocab.json + merges.txt, and the
//                                                       ids of the GPT-2 layout transformers converts them to
//                                                       (ByteLevel add_prefix_space=false, <|...|> tokens special)
//
// Regenerate: cd scripts/tokenizer-references && npm install && node make_rust_references.mjs
import { createRequire } from "module";
import fs from "fs";
import path from "path";
import { fileURLToPath } from "url";

const require = createRequire(import.meta.url);
const { Tokenizer } = require("tokenizers");
const here = path.dirname(fileURLToPath(import.meta.url));
const fixtures = path.join(here, "../../tests/Pipeline.Tokenizers.Tests/Fixtures");
const qwen2 = JSON.parse(fs.readFileSync(path.join(fixtures, "qwen2-style/tokenizer.json"), "utf8"));

const astralTexts = [
  "𝐀𝐁's it𝐀's",
  "Y𐐀.Y and 𐐀𐐁𐐂's",
  "𝟙𝟙12 𝟘𝟙𝟚𝟛 345",
  "𠮷野家 serves 𠮷 food",
  "emoji 😀👍🏽 and flags 🇺🇸!",
  "I'm 𝐁𝐨𝐥𝐝 and 𝑖𝑡𝑎𝑙𝑖𝑐!\n\n  ok",
];
const plainTexts = [
  "Hello, world!",
  "This program is free software: you can redistribute it.",
  "  leading spaces\n\n\ttabs and   trailing   ",
  "<|im_start|>user\nHello there<|im_end|>\n",
  "Numbers: 1234567 3.14159",
];

function writeJson(file, generator, cases) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const body = cases.map((c) => "    " + JSON.stringify(c)).join(",\n");
  fs.writeFileSync(file, `{\n  "generator": "${generator}",\n  "cases": [\n${body}\n  ]\n}\n`);
}

async function encodings(tokenizerJson, texts) {
  const tokenizer = Tokenizer.fromString(JSON.stringify(tokenizerJson));
  const cases = [];
  for (const text of texts) {
    const encoding = await tokenizer.encode(text, null, { addSpecialTokens: false });
    cases.push({ text, ids: encoding.getIds() });
  }
  return cases;
}

const generator = "tokenizers 0.23.2 (npm binding of the Rust library)";

// 1. Pre-tokenizer pieces.
const qwen2Pattern = qwen2.pre_tokenizer.pretokenizers[0].pattern.Regex;
const cl100kPattern = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
const byteLevel = (addPrefixSpace, useRegex) => ({ type: "ByteLevel", add_prefix_space: addPrefixSpace, trim_offsets: false, use_regex: useRegex });
const split = (pattern, behavior, invert) => ({ type: "Split", pattern, behavior, invert });
const splitCases = [];
const behaviors = ["Isolated", "Removed", "MergedWithPrevious", "MergedWithNext", "Contiguous"];
for (const behavior of behaviors) {
  for (const invert of [false, true]) {
    for (const text of ["the-final--countdown", "-a--b-", "no delimiter", "𝐀-𝐁--𝐂"]) {
      splitCases.push({ pre_tokenizer: split({ String: "-" }, behavior, invert), text });
    }
    for (const text of ["a  b\n\nc ", " x y"]) {
      splitCases.push({ pre_tokenizer: split({ Regex: "\\s+" }, behavior, invert), text });
    }
  }
}
for (const individual of [false, true]) {
  for (const text of ["Hey 123 friend!", "𝟙𝟚𝟛 and ٣٤٥ and ½ and 12𝟙3", "x1y22z333"]) {
    splitCases.push({ pre_tokenizer: { type: "Digits", individual_digits: individual }, text });
  }
}
for (const text of [...astralTexts, ...plainTexts]) {
  splitCases.push({ pre_tokenizer: split({ Regex: qwen2Pattern }, "Isolated", false), text });
  splitCases.push({ pre_tokenizer: split({ Regex: cl100kPattern }, "Isolated", false), text });
  splitCases.push({ pre_tokenizer: byteLevel(false, true), text });
  splitCases.push({ pre_tokenizer: byteLevel(true, true), text });
  splitCases.push({ pre_tokenizer: { type: "Sequence", pretokenizers: [split({ Regex: qwen2Pattern }, "Isolated", false), byteLevel(true, false)] }, text });
}
splitCases.push({ pre_tokenizer: { type: "Sequence", pretokenizers: [{ type: "Digits", individual_digits: true }, byteLevel(true, true)] }, text: "abc123 d4" });
for (const c of splitCases) {
  const tokenizer = Tokenizer.fromString(JSON.stringify({ ...qwen2, normalizer: null, pre_tokenizer: c.pre_tokenizer }));
  c.pieces = tokenizer.getPreTokenizer().preTokenizeString(c.text).map(([piece]) => piece);
}
writeJson(path.join(fixtures, "rust-references/pretokenizer_splits.json"), generator, splitCases);

// 2. qwen2-style on text above U+FFFF.
writeJson(path.join(fixtures, "qwen2-style/rust_reference_encodings.json"), generator,
  await encodings(qwen2, [...astralTexts, ...plainTexts]));

// 3. Sequence[Split, ByteLevel(add_prefix_space=true)].
const prefixSpace = structuredClone(qwen2);
prefixSpace.pre_tokenizer.pretokenizers[1].add_prefix_space = true;
fs.mkdirSync(path.join(fixtures, "prefix-space"), { recursive: true });
fs.writeFileSync(path.join(fixtures, "prefix-space/tokenizer.json"), JSON.stringify(prefixSpace, null, 1) + "\n");
writeJson(path.join(fixtures, "prefix-space/reference_encodings.json"), generator,
  await encodings(prefixSpace, [...plainTexts, ...astralTexts, "", " starts with a space", "<|im_start|>x<|im_end|>y"]));

// 4. single_word added tokens: Rust tests word boundaries with regex \w (letters, marks, digits, connector punctuation,
// Join_Control, Other_Alphabetic) and, when a match is discarded, goes on after it rather than at the next character.
const singleWord = structuredClone(qwen2);
const added = (id, content, single_word) => ({ id, content, single_word, lstrip: false, rstrip: false, normalized: false, special: false });
// Contents that are not in the vocabulary (Rust gives an added token already in it the vocabulary's id).
singleWord.added_tokens.push(added(330, "word", true), added(331, "rds", false), added(332, "ds", true));
fs.mkdirSync(path.join(fixtures, "single-word"), { recursive: true });
fs.writeFileSync(path.join(fixtures, "single-word/tokenizer.json"), JSON.stringify(singleWord, null, 1) + "\n");
writeJson(path.join(fixtures, "single-word/reference_encodings.json"), generator, await encodings(singleWord, [
  "word", "a word.", "_word_", "swords", "words", "wordy rds word", "éword", "word\u0301", "𝐀word", "word𝐀", "٣word",
  "word\u203F", "\u24B6word", "a\u200Dword", "word-word", "2word", "x\u0903word", "\u00B2word", "word\u2160",
]));

// 5. vocab.json + merges.txt, the GPT-2 layout.
const gpt2Dir = path.join(fixtures, "gpt2-vocab-merges");
fs.mkdirSync(gpt2Dir, { recursive: true });
fs.writeFileSync(path.join(gpt2Dir, "vocab.json"), JSON.stringify(qwen2.model.vocab) + "\n");
fs.writeFileSync(path.join(gpt2Dir, "merges.txt"),
  "#version: 0.2\n" + qwen2.model.merges.map((m) => (Array.isArray(m) ? m.join(" ") : m)).join("\n") + "\n");
const gpt2 = structuredClone(qwen2);
gpt2.normalizer = null;
gpt2.pre_tokenizer = byteLevel(false, true);
gpt2.added_tokens = Object.entries(qwen2.model.vocab).filter(([t]) => /^<\|[^|\s]+\|>$/.test(t))
  .map(([content, id]) => ({ id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true }));
writeJson(path.join(gpt2Dir, "reference_encodings.json"), generator,
  await encodings(gpt2, [...plainTexts, ...astralTexts, "<|endoftext|>Copyright (C) 2007<|endoftext|>", "I'm sure it's OK, WE'LL see"]));

console.log(`wrote ${splitCases.length} pre-tokenizer cases and four encoding files`);
