#!/usr/bin/env bash
# post-check.sh: the posting of the edition's series, tested without sending.
# In a worktree of its own (WT/post, local branch devmem/post at the series
# tip) b4 turns the series into a prep branch enrolled at devmem/base, with
# the edition's cover-letter.txt as its cover, runs `b4 prep --auto-to-cc`
# and `b4 prep --check` (checkpatch: its per-patch report is kept in
# OUT/post/prep-check.tsv, its warnings and errors do not fail), and writes
# the N+1 mails with `b4 send -o OUT/post/mails` (nothing is sent: the
# mail transport is /bin/false).  Then the mails are read back: N+1 of
# them, numbered 0/N..N/N in order with the cover's and the commits'
# subjects, every patch a reply to the cover, every patch addressed to all
# that get_maintainer.pl names for it, and the N patches `git am` on
# devmem/base (in WT/post-am) to the tree of devmem/series.
# b4 is 0.16, pinned in tools/requirements.txt and installed with pip into
# CACHE/venv (scripts/venv.sh).
# Writes OUT/post.results (post/<check> PASS|FAIL|SKIP detail) and exits 1
# when a check fails.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

check_ksrc
base=$(base_commit)
tip=$(series_tip)
n=$(kgit rev-list --count "$base..$tip")
letter=$EDIR/cover-letter.txt
if [ "$n" != 0 ]; then
	[ -f "$letter" ] || die "no $letter: run 'make cover-letter EDITION=$EDITION' first"
	title=$(sed -n '1s/^Subject: *\[PATCH[^]]* 0*0\/0*'"$n"'\] *//p' "$letter")
	[ -n "$title" ] || die "$letter: the first line is not 'Subject: [PATCH 0/$n] ...' ($SERIES_BRANCH has $n patches)"
	# what the letter puts between PATCH and 0/N ("v2", "6.12"): b4 is
	# told the revision and the other prefixes, and every mail must carry
	# them
	tags=$(sed -n '1s/^Subject: *\[PATCH\([^]]*\) 0*0\/0*'"$n"'\].*/\1/p' "$letter" | xargs)
	rev_args=() prefixes=()
	for t in $tags; do
		case "$t" in
		v[0-9]*) rev_args=(--force-revision "${t#v}") ;;
		*) prefixes+=("$t") ;;
		esac
	done
fi
res=$OUT/post.results
d=$OUT/post
mkdir -p "$OUT"
: > "$res"
fails=0
t0=$(date +%s)
row() {
	printf 'post/%s\t%s\t%s\n' "$1" "$2" "$3" >> "$res"
	printf 'post/%s: %s: %s\n' "$1" "$2" "$3"
	[ "$2" != FAIL ] || fails=$((fails + 1))
}
if [ "$n" = 0 ]; then
	row series SKIP "$EDITION: $SERIES_BRANCH has no patches over $BASE_TAG: nothing to post"
	exit 0
fi
rm -rf "$d"
mkdir -p "$d"

# b4 0.16, pinned in tools/requirements.txt, from the venv scripts/venv.sh makes.
PY=/usr/bin/python3
if ! vbin=$("$REPO/scripts/venv.sh" 2> "$d/venv.log"); then
	row b4-version FAIL "no venv with b4: $(tail -1 "$d/venv.log")"
	exit 1
fi
# The identity the mails are from, for b4 and the commits it makes.
POST_NAME=${POST_NAME:-Devmem Series Team}
POST_EMAIL=${POST_EMAIL:-devmem-series@example.org}
b4() {
	# b4's own settings: the identity, a cover template without b4's
	# shortlog and diffstat (cover-letter.txt has them), a mail transport
	# that sends nothing (else b4 picks kernel.org's web endpoint), an
	# "editor" that writes the cover text; the host's python3 first in PATH,
	# for checkpatch's spdxcheck.py (ply).
	local ed="cp '$d/cover.txt'"
	env GIT_CONFIG_COUNT=5 GIT_CONFIG_KEY_0=user.name GIT_CONFIG_VALUE_0="$POST_NAME" \
		GIT_CONFIG_KEY_1=user.email GIT_CONFIG_VALUE_1="$POST_EMAIL" \
		GIT_CONFIG_KEY_2=b4.prep-cover-template GIT_CONFIG_VALUE_2="$d/cover-template" \
		GIT_CONFIG_KEY_3=sendemail.smtpserver GIT_CONFIG_VALUE_3=/bin/false \
		GIT_CONFIG_KEY_4=core.editor GIT_CONFIG_VALUE_4="$ed" GIT_EDITOR="$ed" EDITOR="$ed" \
		GIT_COMMITTER_NAME="$POST_NAME" GIT_COMMITTER_EMAIL="$POST_EMAIL" \
		XDG_CACHE_HOME="$CACHE/b4-cache" PATH="/usr/bin:$PATH" \
		nice -n 10 "$vbin/b4" "$@" < /dev/null
}
if ! ver=$(b4 --version 2>&1); then
	row b4-version FAIL "b4 from $vbin does not run: $ver"
	exit 1
fi
row b4-version PASS "b4 $ver (tools/requirements.txt, in $vbin)"

# The prep branch, its cover, its To/Cc, its checks, and the mails.
w=$(wt_path post "$tip")
git -C "$w" cherry-pick --abort > /dev/null 2>&1 || true
git -C "$w" checkout -q -B devmem/post "$tip"
{ echo "$title"; sed 1d "$letter"; } > "$d/cover.txt"
# shellcheck disable=SC2016  # b4's template variables, not the shell's
printf '%s\n' '${cover}' '' '---' 'base-commit: ${base_commit}' 'change-id: ${change_id}' '${prerequisites}' > "$d/cover-template"
step() { # step CHECK NAME B4-ARGS...: b4 in the worktree, output in d/b4-NAME.log
	local c=$1 s=$2
	shift 2
	(cd "$w" && b4 "$@") > "$d/b4-$s.log" 2>&1 && return 0
	row "$c" FAIL "b4 $* failed: $(grep -m1 -E 'CRITICAL|Error|error' "$d/b4-$s.log" || tail -1 "$d/b4-$s.log") (see $d/b4-$s.log)"
	return 1
}
step prep enroll prep -e "$BASE_TAG" || exit 1
if [ ${#rev_args[@]} -gt 0 ]; then step prep revision prep "${rev_args[@]}" || exit 1; fi
if [ ${#prefixes[@]} -gt 0 ]; then step prep prefixes prep --set-prefixes "${prefixes[@]}" || exit 1; fi
step prep cover prep --edit-cover || exit 1
step prep to-cc prep --auto-to-cc || exit 1
row prep PASS "branch devmem/post in $w: $n patches enrolled at $BASE_TAG, cover from ${letter#"$REPO"/}, To/Cc from get_maintainer.pl"
if ! b4 prep --help 2>/dev/null | grep -- '--check ' > /dev/null; then
	row prep-check SKIP "b4 $ver has no 'prep --check'"
elif step prep-check check prep -C --check; then
	sed 's/\x1b\[[0-9;]*m//g' "$d/b4-check.log" > "$d/prep-check.log"
	# per patch: commit, subject, checkpatch's ERROR and WARNING lines
	awk -v OFS='\t' '/^[^ ]+ [0-9a-f]+: / {k++; c[k] = substr($2, 1, length($2) - 1); sub(/^[^ ]+ [0-9a-f]+: /, ""); t[k] = $0}
		/^  [^ ]+ / && k {if (/ ERROR: /) e[k]++; else if (/ WARNING: /) w[k]++; else o[k]++}
		END {for (i = 1; i <= k; i++) print i, c[i], e[i] + 0 " errors", w[i] + 0 " warnings", o[i] + 0 " other", t[i]}' \
		"$d/prep-check.log" > "$d/prep-check.tsv"
	sum=$(grep -m1 -oE 'Success: [0-9]+, Warning: [0-9]+, Error: [0-9]+' "$d/prep-check.log" || echo "no summary line")
	row prep-check PASS "b4 prep --check (checkpatch, not failed on): $sum; $(awk -F'\t' '$3 + $4 + $5 > 0 {p++; e += $3; w += $4} END {print p + 0 " patches with " e + 0 " errors, " w + 0 " warnings"}' "$d/prep-check.tsv") (per patch: $d/prep-check.tsv)"
fi
step mails send send --no-sign -o "$d/mails" || exit 1
kgit update-ref -d refs/original/devmem/post 2>/dev/null || true # b4's backup of the branch
mapfile -t mails < <(find "$d/mails" -maxdepth 1 -type f | sort)

# Read the mails back: file, subject, Message-ID, In-Reply-To, References, To+Cc.
$PY - "${mails[@]}" > "$d/headers.tsv" <<'EOF'
import email, email.policy, email.utils, sys
for f in sys.argv[1:]:
    with open(f, 'rb') as fh:
        m = email.message_from_binary_file(fh, policy=email.policy.default)
    h = lambda k: ' '.join(str(m.get(k, '')).split()) or '-'  # no empty fields for read
    rcpt = email.utils.getaddresses([str(x) for x in m.get_all('To', []) + m.get_all('Cc', [])])
    print('\t'.join([f, h('Subject'), h('Message-ID'), h('In-Reply-To'), h('References'),
                     ' '.join(sorted({a.lower() for _, a in rcpt if a})) or '-']))
EOF
if [ ${#mails[@]} = $((n + 1)) ]; then
	row mails PASS "$((n + 1)) mails in $d/mails"
else
	row mails FAIL "${#mails[@]} mails in $d/mails, want $((n + 1))"
fi

mapfile -t subjects < <(kgit log --reverse --format=%s "$base..$tip" | sed 's/[[:space:]]\+/ /g')
bad=() thread_bad=() cover_id="" i=0
while IFS=$'\t' read -r f subj mid irt refs rcpt; do
	re='^\[PATCH( [^]]*)? 0*([0-9]+)/0*([0-9]+)\] (.*)$'
	if ! [[ $subj =~ $re ]] || [ "$((10#${BASH_REMATCH[2]}))" != "$i" ] || [ "${BASH_REMATCH[3]}" != "$n" ]; then
		bad+=("${f##*/}: '$subj' is not $i/$n")
	elif [ "$(xargs <<< "${BASH_REMATCH[1]}")" != "$tags" ]; then
		bad+=("${f##*/}: '$subj' does not carry the cover letter's '[PATCH${tags:+ $tags} 0/$n]'")
	elif [ $i = 0 ] && [ "${BASH_REMATCH[4]}" != "$title" ]; then
		bad+=("0/$n: '${BASH_REMATCH[4]}' is not the cover letter's subject")
	elif [ $i -gt 0 ] && [ "${BASH_REMATCH[4]}" != "${subjects[i - 1]}" ]; then
		bad+=("$i/$n: '${BASH_REMATCH[4]}' is not the subject of commit $i '${subjects[i - 1]}'")
	fi
	if [ $i = 0 ]; then
		cover_id=$mid
	elif [ "$irt" != "$cover_id" ] || [[ " $refs " != *" $cover_id "* ]]; then
		thread_bad+=("$i/$n")
	fi
	printf '%s\n' "$rcpt" > "$d/rcpt.$i"
	i=$((i + 1))
done < "$d/headers.tsv"
if [ ${#bad[@]} = 0 ]; then
	row numbering PASS "[PATCH${tags:+ $tags} 0/$n] .. [PATCH${tags:+ $tags} $n/$n] in order, subjects of the cover and of the $n commits"
else
	row numbering FAIL "${bad[0]}${bad[1]:+ (and $((${#bad[@]} - 1)) more)}"
fi
if [ -z "$cover_id" ]; then
	row threading FAIL "the cover has no Message-ID"
elif [ ${#thread_bad[@]} = 0 ]; then
	row threading PASS "the $n patches have In-Reply-To and References $cover_id"
else
	row threading FAIL "not replies to the cover $cover_id: ${thread_bad[*]}"
fi

# Every patch is addressed to all that get_maintainer.pl names for it.
kgit format-patch -q -o "$d/fp" "$base..$tip"
mapfile -t fps < <(find "$d/fp" -name '*.patch' | sort)
missing=() nmiss=0 nwant=0
for ((i = 1; i <= n && i < ${#mails[@]}; i++)); do
	if ! gm=$(cd "$w" && ./scripts/get_maintainer.pl --no-rolestats --no-git --no-git-fallback "${fps[i - 1]}" 2> "$d/get_maintainer.err"); then
		missing+=("$i/$n: get_maintainer.pl failed: $(tail -1 "$d/get_maintainer.err")")
		continue
	fi
	want=$(grep -oE '[[:alnum:]._%+=-]+@[[:alnum:].-]+' <<< "$gm" | tr '[:upper:]' '[:lower:]' | sort -u || true)
	nwant=$((nwant + $(grep -c @ <<< "$want" || true)))
	miss=$(comm -23 <(printf '%s\n' "$want") <(tr ' ' '\n' < "$d/rcpt.$i" | sort -u) | tr '\n' ' ')
	[ -z "$miss" ] || { missing+=("$i/$n: ${miss% }"); nmiss=$((nmiss + $(wc -w <<< "$miss"))); }
done
printf '%s\n' "${missing[@]}" > "$d/to-cc.missing"
if [ $nwant = 0 ]; then
	row to-cc FAIL "get_maintainer.pl names no one for any of the $n patches"
elif [ ${#missing[@]} = 0 ]; then
	row to-cc PASS "every patch mail is To/Cc all that get_maintainer.pl names for it ($nwant names for $n patches; $(wc -w < "$d/rcpt.1") recipients a mail)"
else
	row to-cc FAIL "$nmiss addresses missing in ${#missing[@]} patches: ${missing[0]}${missing[1]:+ ... (all: $d/to-cc.missing)}"
fi

# The N patch mails apply on the base to the series' tree.
a=$(wt_path post-am "$base")
git -C "$a" am --abort > /dev/null 2>&1 || true
if git -C "$a" am -q "${mails[@]:1}" > "$d/git-am.log" 2>&1; then
	got=$(git -C "$a" rev-parse 'HEAD^{tree}')
	if [ "$got" = "$(kgit rev-parse "$tip^{tree}")" ]; then
		row git-am PASS "the $((${#mails[@]} - 1)) patch mails apply with git am on $BASE_TAG to the tree of $SERIES_BRANCH ($got)"
	else
		row git-am FAIL "git am of the mails gives tree $got, $SERIES_BRANCH has $(kgit rev-parse "$tip^{tree}")"
	fi
else
	row git-am FAIL "git am on $BASE_TAG: $(grep -m1 -E '^(Patch failed|error)' "$d/git-am.log" || tail -1 "$d/git-am.log")"
	git -C "$a" am --abort 2>/dev/null || true
fi
log "$EDITION: $fails checks failed in $(( $(date +%s) - t0 ))s (OUT/post.results, mails in $d/mails)"
[ $fails = 0 ]
