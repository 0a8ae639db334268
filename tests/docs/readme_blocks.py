"""The code blocks of the README that the docs tests run, taken from the README itself so that the
tour a newcomer reads is the code that is compiled and run.

readme_blocks.py c README OUT   writes the C tour as a program (its #include lines first, the rest
                                inside main) to OUT
"""
import re
import shlex
import sys


def blocks(text, section, lang):
    """The fenced blocks of language `lang` under the heading `## section` (up to the next `## `),
    or in the whole text when section is None."""
    if section is not None:
        match = re.search(r"^## " + re.escape(section) + r"\s*$(.*?)(?=^## |\Z)", text, re.M | re.S)
        if not match:
            raise SystemExit(f"README: no section '## {section}'")
        text = match.group(1)
    found = re.findall(r"^```" + re.escape(lang) + r"\s*\n(.*?)^```\s*$", text, re.M | re.S)
    if not found:
        raise SystemExit(f"README: no ```{lang} block in '## {section}'")
    return found


def c_program(block):
    """The C tour as a program: the block's #include lines at file scope, its statements in main."""
    includes = [line for line in block.splitlines() if line.startswith("#include")]
    body = [line for line in block.splitlines() if not line.startswith("#include")]
    return ("/* Generated from README.md by tests/docs/readme_blocks.py: the C tour, as written. */\n"
            + "\n".join(includes + ["#include <stdio.h>", "", "int main(void) {"])
            + "\n" + "\n".join("    " + line if line else "" for line in body)
            + "\n    return 0;\n}\n")


def tursh_commands(block):
    """The tursh command lines of a sh block that run without a terminal: each `;`-separated command,
    comments dropped; the REPL (`tursh`, `tursh --local`) and placeholders (`script.lua ARGS`) left out."""
    commands = []
    for line in block.splitlines():
        lex = shlex.shlex(line, posix=True, punctuation_chars=";")  # as sh reads it: quotes, # comments
        lex.whitespace_split = True
        words = []
        for token in list(lex) + [";"]:
            if token != ";":
                words.append(token)
                continue
            if words and words[0] == "tursh" and words[1:] not in ([], ["--local"]) and "ARGS" not in words:
                commands.append(words[1:])
            words = []
    return commands


def main():
    if len(sys.argv) != 4 or sys.argv[1] != "c":
        raise SystemExit("usage: readme_blocks.py c README OUT")
    with open(sys.argv[2], encoding="utf-8") as f:
        (block,) = blocks(f.read(), "The C API in five minutes", "c")
    program = c_program(block)
    try:
        with open(sys.argv[3], encoding="utf-8") as f:
            if f.read() == program:
                return  # unchanged: no rebuild
    except FileNotFoundError:
        pass
    with open(sys.argv[3], "w", encoding="utf-8") as f:
        f.write(program)


if __name__ == "__main__":
    main()
