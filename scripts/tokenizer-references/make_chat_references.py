#!/usr/bin/env python3
"""Writes tests/Pipeline.Tokenizers.Tests/Fixtures/chat-templates/reference_renderings.json.

Each case is a conversation rendered by jinja2 the way transformers' apply_chat_template renders a chat_template
(ImmutableSandboxedEnvironment, trim_blocks, lstrip_blocks, loopcontrols, raise_exception; bos_token and eos_token
passed in), with:
  chatml, qwen2, llama3  the official templates, verbatim from the model repositories named below;
  alpaca                 the project's own template (AlpacaChatTemplate.Jinja, copied to Fixtures/chat-templates/
                         alpaca.jinja; a test checks the copy is current).
The C# renderers must produce the same text byte for byte, for every role the template renders (tool, ipython, ...).

Regenerate (Debian: apt-get install python3-jinja2):
  /usr/bin/python3 scripts/tokenizer-references/make_chat_references.py
"""
import json
import pathlib

from jinja2.exceptions import TemplateError
from jinja2.sandbox import ImmutableSandboxedEnvironment

ROOT = pathlib.Path(__file__).resolve().parents[2]
OUT = ROOT / "tests/Pipeline.Tokenizers.Tests/Fixtures/chat-templates"

# teknium/OpenHermes-2.5-Mistral-7B (plain ChatML).
CHATML = r"""{% for message in messages %}{{'<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}"""
# Qwen/Qwen2-7B-Instruct.
QWEN2 = r"""{% for message in messages %}{% if loop.first and messages[0]['role'] != 'system' %}{{ '<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n' }}{% endif %}{{'<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}"""
# meta-llama/Meta-Llama-3-8B-Instruct.
LLAMA3 = r"""{% set loop_messages = messages %}{% for message in loop_messages %}{% set content = '<|start_header_id|>' + message['role'] + '<|end_header_id|>\n\n'+ message['content'] | trim + '<|eot_id|>' %}{% if loop.index0 == 0 %}{% set content = bos_token + content %}{% endif %}{{ content }}{% endfor %}{% if add_generation_prompt %}{{ '<|start_header_id|>assistant<|end_header_id|>\n\n' }}{% endif %}"""
ALPACA = (OUT / "alpaca.jinja").read_text(encoding="utf-8")

TEMPLATES = {"chatml": CHATML, "qwen2": QWEN2, "llama3": LLAMA3, "alpaca": ALPACA}


def raise_exception(message):
    raise TemplateError(message)


def render(template, messages, add_generation_prompt):
    env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True, extensions=["jinja2.ext.loopcontrols"])
    env.globals["raise_exception"] = raise_exception
    return env.from_string(template).render(
        messages=messages, add_generation_prompt=add_generation_prompt,
        bos_token="<|begin_of_text|>", eos_token="</s>")


def m(role, content):
    return {"role": role, "content": content}


CONVERSATIONS = [
    [m("system", "Use tools."), m("user", "Weather in Paris?"), m("assistant", "Calling get_weather."),
     m("tool", ' {"temp_c": 21} \n'), m("assistant", "It is 21 °C."), m("user", "Thanks")],
    [m("user", "Run it"), m("assistant", "ok"), m("ipython", "42"), m("assistant", "The answer is 42.")],
    [m("tool", "orphan tool output"), m("user", "What was that?")],
    [m("system", "First system."), m("user", "Hi"), m("assistant", "Hello"), m("system", "Second system: be brief."),
     m("user", "Again"), m("assistant", "Hi.")],
    [m("user", "Summarize"), m("user", "The input text."), m("tool", "lookup result"), m("assistant", "Done.")],
    [m("function", "f() = 1"), m("assistant", "  spaced \n")],
]

ALPACA_ROLES = {"system", "user", "assistant", "tool"}

cases = []
for name, template in TEMPLATES.items():
    for messages in CONVERSATIONS:
        if name == "alpaca" and any(x["role"] not in ALPACA_ROLES for x in messages):
            continue  # the alpaca template raises on other roles; a test checks the C# side throws too
        for add_generation_prompt in (False, True):
            cases.append({"template": name, "add_generation_prompt": add_generation_prompt, "messages": messages,
                          "text": render(template, messages, add_generation_prompt)})

# Proof that the alpaca template rejects other roles (the C# test expects an ArgumentException).
try:
    render(ALPACA, [m("user", "x"), m("ipython", "y")], False)
    raise SystemExit("alpaca.jinja accepted role 'ipython'")
except TemplateError:
    pass

OUT.mkdir(parents=True, exist_ok=True)
with open(OUT / "reference_renderings.json", "w", encoding="utf-8") as f:
    json.dump({"generator": "jinja2 (Debian python3-jinja2), transformers' apply_chat_template environment",
               "templates": {k: v for k, v in TEMPLATES.items() if k != "alpaca"}, "cases": cases},
              f, ensure_ascii=False, indent=1)
    f.write("\n")
print(f"wrote {len(cases)} cases")
