#!/usr/bin/env bash
# msg-gate.sh REV: the commit-message rules for commit REV of the edition's
# KSRC; prints one line per problem and exits 1 if there is any.
#  - no placeholder text (PLACEHOLDER, TODO, FIXME, XXX, TBD, @WORD@);
#  - a Signed-off-by: line; Fixes: tags as "Fixes: <12+ hex> ("subject")";
#  - a backport of an upstream commit says so as stable-kernel-rules asks:
#    "commit <40 hex> upstream." as the first line of the body, the
#    original author in From: (not the series' own identity), and a
#    backport note "[ ... ]" after the original text; a message that calls
#    itself "mainline commit <id>" in any other form fails;
#  - a patch that revives someone's posted work credits it: the edition's
#    tests/credits lists SUBJECT<TAB>LINE, and the message must hold LINE;
#  - in the 6.12 edition, a patch whose subject is that of a patch of the
#    mainline edition is its backport and names it with
#    "[ mainline edition: <subject> ]", wrapped as needed (patches with
#    no mainline-edition counterpart yet are counted by `make check`,
#    not failed here).
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

[ $# = 1 ] || die "usage: msg-gate.sh REV"
c=$(kgit rev-parse -q --verify "$1^{commit}") || die "$1 is not a commit in $KSRC"
# The identity the series' own patches are written under.
SERIES_AUTHOR=devmem-series@example.org
msg=$(kgit log -1 --format=%B "$c")
subj=$(kgit log -1 --format=%s "$c")
author=$(kgit log -1 --format='%an <%ae>' "$c")
body=$(printf '%s\n' "$msg" | sed '1,/^$/d')
bad=0
say() { echo "msg: $*"; bad=1; }

if grep -nE '\b(PLACEHOLDER|TODO|FIXME|XXX|TBD)\b|@[A-Z_]{3,}@|RESULTS_[A-Z]+' <<< "$msg" | grep -v '^[0-9]*:Link:' > /tmp/msg-gate.$$; then
	while read -r l; do say "placeholder text in the message, line ${l%%:*}: ${l#*:}"; done < /tmp/msg-gate.$$
fi
rm -f /tmp/msg-gate.$$
grep -qE '^Signed-off-by: .+ <.+@.+>$' <<< "$msg" || say "no Signed-off-by: line"
while read -r l; do
	[ -n "$l" ] || continue
	grep -qE '^Fixes: [0-9a-f]{12,40} \(".+"\)$' <<< "$l" || say "malformed tag: $l (want: Fixes: <12+ hex digits> (\"subject\"))"
done < <(grep -E '^Fixes:' <<< "$msg" || true)

first_body=$(printf '%s\n' "$body" | sed -n '/./{p;q}')
if grep -qE '^commit [0-9a-f]{40} upstream\.$' <<< "$first_body"; then
	case "$author" in *"<$SERIES_AUTHOR>") say "a backport of ${first_body#commit } keeps the original author in From:, not $author" ;; esac
	# the note after the original text: a "[ ... ]" line
	awk '/^\[/ {o = 1} o && /\]$/ {f = 1} END {exit !f}' <<< "$body" || say "a backport says what differs from the upstream commit in a '[ ... ]' note after the original text"
elif grep -qiE '\b(this (is|corresponds to)|same as|backport of) (the )?(mainline|upstream) commit [0-9a-f]{8,}' <<< "$msg"; then
	say "the message names an upstream commit it is: make it a backport (first line 'commit <sha> upstream.', the original author, a '[ ... ]' note)"
fi

while IFS=$'\t' read -r csubj cline; do
	[ "$csubj" = "$subj" ] || continue
	grep -qxF -- "$cline" <<< "$msg" || say "revives posted work: credit it with '$cline' (tests/credits)"
done < <(list_file "$ETESTS/credits")

if [ "$EDITION" = 6.12 ]; then
	ml=$(for f in "$REPO"/patches/*.patch; do
		[ -f "$f" ] || continue
		git mailinfo /dev/null /dev/null < "$f" 2>/dev/null | sed -n 's/^Subject: //p'
	done)
	if grep -qxF -- "$subj" <<< "$ml"; then
		# the note may be wrapped (checkpatch wants body lines of 75
		# columns): compare with the message on one line
		tr -s '[:space:]' ' ' <<< "$msg" | grep -qF -- "[ mainline edition: $subj ]" ||
			say "this is the backport of the mainline edition's \"$subj\": say so with a line '[ mainline edition: $subj ]'"
	fi
fi
exit $bad
