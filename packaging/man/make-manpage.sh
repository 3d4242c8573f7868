#!/usr/bin/env bash
# make-manpage.sh PROGRAM VERSION NAME_LINE INCLUDE OUTPUT.1.gz
# A man page from the program's own --help (help2man), so that it cannot drift from the program.
# For wse, every command's and subcommand's --help is appended as a COMMANDS section.
set -euo pipefail
program="$1" version="$2" name_line="$3" include="$4" output="$5"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export PATH="$(dirname "$program"):$PATH" # help2man shows the name it ran, not the build path
name="$(basename "$program")"
cp "$include" "$work/include.h2m"

# The names listed under "Subcommands:" in a --help text.
subcommands() { sed -n '/^Subcommands:/,/^$/p' | sed -n 's/^  \([a-z][a-z0-9-]*\) .*/\1/p'; }
# --help text as roff that shows it verbatim.
verbatim() { printf '.nf\n'; sed -e 's/\\/\\e/g' -e 's/^\([.'"'"']\)/\\\&\1/'; printf '.fi\n'; }

if "$name" --help | grep -q '^Subcommands:'; then
    {
        printf '[COMMANDS]\nEach command prints this with \\fB--help\\fR.\n'
        for command in $("$name" --help | subcommands); do
            printf '.SS "%s %s"\n' "$name" "$command"
            "$name" "$command" --help | verbatim
            for sub in $("$name" "$command" --help | subcommands); do
                printf '.SS "%s %s %s"\n' "$name" "$command" "$sub"
                "$name" "$command" "$sub" --help | verbatim
            done
        done
    } >> "$work/include.h2m"
fi
help2man --no-info --no-discard-stderr --version-string="$version" --name="$name_line" \
         --include="$work/include.h2m" --output="$work/page.1" "$name"
gzip -9n < "$work/page.1" > "$output"
