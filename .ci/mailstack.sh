#!/bin/bash
# The test suite's mail servers on loopback: Dovecot (IMAP 127.0.0.1:14143, LMTP 127.0.0.1:14024)
# and Exim (SMTP 127.0.0.1:14025, delivering into Dovecot over LMTP). Mailboxes are the lines
# of DIR/users (`name:{PLAIN}password`); Exim accepts mail for any domain whose local part is a
# mailbox, with or without a `+tag` (name+tag@… lands in name's mailbox), and both read the file on each use, so a test adds its own mailboxes while the
# servers run (frontline_testkit::mail).
# Needs root and: apt-get install -y dovecot-imapd dovecot-lmtpd exim4-daemon-light
# Usage: mailstack.sh start|stop [DIR]   (DIR default /tmp/frontline-mail; wiped on start)
set -eu
CMD=${1:?start|stop}; D=${2:-/tmp/frontline-mail}
case "$CMD" in
start)
  rm -rf "$D"; mkdir -p "$D/dovecot/run" "$D/dovecot/state" "$D/mail" "$D/exim/spool" "$D/exim/log"
  printf 'postmaster:{PLAIN}postmaster-pass\n' > "$D/users"
  chmod 644 "$D/users"
  cat > "$D/dovecot/dovecot.conf" <<EOF
base_dir = $D/dovecot/run
state_dir = $D/dovecot/state
instance_name = frontline-test
log_path = $D/dovecot/dovecot.log
protocols = imap lmtp
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_username_format = %Ln
# support+tag@… is support's mail (reply addresses carry a tag)
recipient_delimiter = +
first_valid_uid = 8
first_valid_gid = 8
mail_location = maildir:~/Maildir
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u $D/users
}
userdb {
  driver = static
  args = uid=mail gid=mail home=$D/mail/%u
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = 14143
  }
  inet_listener imaps {
    port = 0
  }
}
service lmtp {
  inet_listener lmtp {
    address = 127.0.0.1
    port = 14024
  }
}
EOF
  cat > "$D/exim/exim.conf" <<EOF
primary_hostname = mx.example.test
local_interfaces = 127.0.0.1
daemon_smtp_ports = 14025
spool_directory = $D/exim/spool
log_file_path = $D/exim/log/%slog
pid_file_path = $D/exim/exim.pid
exim_user = Debian-exim
exim_group = Debian-exim
never_users =
host_lookup =
rfc1413_hosts =
tls_advertise_hosts =
keep_environment =
acl_smtp_rcpt = acl_check_rcpt
ignore_bounce_errors_after = 0s
timeout_frozen_after = 1m

begin acl
acl_check_rcpt:
  accept verify = recipient
  deny   message = 5.1.1 unknown user

begin routers
dovecot:
  driver = accept
  local_parts = lsearch;$D/users
  local_part_suffix = +*
  local_part_suffix_optional
  transport = dovecot_lmtp

begin transports
dovecot_lmtp:
  driver = smtp
  protocol = lmtp
  hosts = 127.0.0.1
  port = 14024
  allow_localhost
  hosts_override

begin retry
*  *  F,2m,10s

begin authenticators
plain:
  driver = plaintext
  public_name = PLAIN
  server_prompts = :
  server_condition = \${if eq{\$auth3}{\${sg{\${lookup{\$auth2}lsearch{$D/users}}}{\\N^\\{PLAIN\\}\\N}{}}}}
  server_set_id = \$auth2
EOF
  chown mail:mail "$D/mail"
  chown -R Debian-exim:Debian-exim "$D/exim/spool" "$D/exim/log"
  # both daemonize; stdio must not stay attached to a pipe the caller waits on
  dovecot -c "$D/dovecot/dovecot.conf" </dev/null >/dev/null 2>&1
  exim -C "$D/exim/exim.conf" -bd -q10s </dev/null >/dev/null 2>&1
  # wait for both ports
  for p in 14143 14024 14025; do
    i=0; until (exec 3<>/dev/tcp/127.0.0.1/$p) 2>/dev/null; do i=$((i+1)); [ $i -gt 100 ] && { echo "port $p not up" >&2; exit 1; }; sleep 0.05; done
  done
  echo "mail stack up in $D" ;;
stop)
  [ -f "$D/exim/exim.pid" ] && kill "$(cat "$D/exim/exim.pid")" 2>/dev/null || true
  [ -f "$D/dovecot/dovecot.conf" ] && dovecot -c "$D/dovecot/dovecot.conf" stop 2>/dev/null || true
  echo "mail stack stopped" ;;
esac
