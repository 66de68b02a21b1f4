#!/bin/sh
# winnow-run --hosts, over ssh for real: an sshd of our own on a loopback
# port, with keys made here, and two "hosts" (127.0.0.1 and localhost),
# each job in a work folder of its own.  The outputs must be byte for
# byte those of a run on this machine.  Skipped, saying why, where sshd
# cannot be started.
. tests/lib.sh

WR=$(pwd)/$BIN/winnow-run
A=$(pwd)/$D/archive
S=$T/ssh

skip() {
	echo "skip: winnow-run --hosts over ssh: $1"
	exit 0
}

SSHD=/usr/sbin/sshd
[ -x "$SSHD" ] || skip "no $SSHD (Debian package openssh-server)"
command -v ssh >/dev/null || skip "no ssh (Debian package openssh-client)"
command -v parallel >/dev/null || skip "no GNU parallel (Debian package parallel)"
command -v rsync >/dev/null || skip "no rsync"
# sshd wants its privilege separation folder, made at boot on a system
# that runs one.
[ -d /run/sshd ] || mkdir -p /run/sshd 2>/dev/null || skip "no /run/sshd and no right to make it"

mkdir -p "$S"
ssh-keygen -q -t ed25519 -N '' -f "$S/host_key" || skip "ssh-keygen failed"
ssh-keygen -q -t ed25519 -N '' -f "$S/user_key" || skip "ssh-keygen failed"
cp "$S/user_key.pub" "$S/authorized_keys"
chmod 600 "$S/authorized_keys"

# A port that is free: try a few.
sshd_pid=
for try in 1 2 3 4 5; do
	port=$((20000 + ($$ * 7 + try * 1009) % 40000))
	cat >"$S/sshd_config" <<EOF
Port $port
ListenAddress 127.0.0.1
HostKey $S/host_key
AuthorizedKeysFile $S/authorized_keys
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
PermitRootLogin prohibit-password
PidFile none
EOF
	"$SSHD" -D -f "$S/sshd_config" -E "$S/sshd.log" &
	sshd_pid=$!
	i=0
	while ! grep -q 'Server listening' "$S/sshd.log" 2>/dev/null && kill -0 $sshd_pid 2>/dev/null &&
	    [ $i -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	grep -q 'Server listening' "$S/sshd.log" 2>/dev/null && break
	kill $sshd_pid 2>/dev/null
	wait $sshd_pid 2>/dev/null
	sshd_pid=
done
[ -n "$sshd_pid" ] || skip "sshd would not start: $(tail -1 "$S/sshd.log" 2>/dev/null)"
trap 'ssh -F "$S/ssh_config" -O exit 127.0.0.1 2>/dev/null; kill $sshd_pid 2>/dev/null' EXIT

cat >"$S/ssh_config" <<EOF
Host 127.0.0.1 localhost
  HostName 127.0.0.1
  Port $port
  User $(id -un)
  IdentityFile $S/user_key
  IdentitiesOnly yes
  StrictHostKeyChecking no
  UserKnownHostsFile /dev/null
  BatchMode yes
  LogLevel ERROR
  ControlMaster auto
  ControlPath $S/cm-%h
  ControlPersist 30
EOF
PARALLEL_SSH="ssh -F $S/ssh_config"
export PARALLEL_SSH
if ! ssh -F "$S/ssh_config" localhost true 2>"$S/ssh.err"; then
	skip "cannot log in to our sshd: $(head -c 200 "$S/ssh.err")"
fi

mkdir -p "$T/in"
cp "$A"/*.jsonl.gz "$T/in"/
gzip -dc "$A/news-2026-11-18.jsonl.gz" >"$T/in/news-2026-11-21 late.jsonl"
printf '1/127.0.0.1\n1/localhost\n' >"$T/hosts"

run hosts/here 0 "$WR" "$T/in" "$T/here"
run hosts/run 0 "$WR" -v --hosts "$T/hosts" "$T/in" "$T/there" && {
	has hosts/on-127 "$T/err" " on 127.0.0.1: "
	has hosts/on-localhost "$T/err" " on localhost: "
}
bad=
n=0
for f in "$T/here"/news-*; do
	n=$((n + 1))
	cmp -s "$f" "$T/there/${f##*/}" || bad="$bad ${f##*/}"
done
[ $n = 4 ] && [ -z "$bad" ] && pass hosts/byte-identical ||
	fail hosts/byte-identical "$n outputs here; differ on the hosts:$bad"
# The hosts' work folders are gone (--cleanup).  GNU parallel's own cache
# of what it learnt of each host (sshlogin/HOST/linelen ...) stays, made
# on its first run on a machine.
left=$(find "$HOME/.parallel/tmp" -mindepth 1 -maxdepth 1 -newer "$T/hosts" -type d \
    ! -name sshlogin 2>/dev/null | head -3)
[ -z "$left" ] && pass hosts/cleanup || fail hosts/cleanup "left: $left"
# Up to date on the hosts too: nothing is sent again.
run hosts/again 0 "$WR" --hosts "$T/hosts" "$T/in" "$T/there" &&
	has hosts/again "$T/there/winnow.log" "cleaned=0 skipped=4 "
