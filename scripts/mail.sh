# shellcheck shell=bash
# Sourced by test.sh (after scripts/postgres.sh, whose apt_install it reuses): a private mail system for this run,
# from Debian's packages: Dovecot (IMAP + LMTP) and Postfix (SMTP), on 127.0.0.1 and free ports, all state under a
# temporary folder, stopped by mail_cleanup. The machine's own mail setup is left alone: the system postfix/dovecot
# services are never started (nor left enabled when this script installed them), and nothing is written under
# /etc/postfix or /etc/dovecot.
#   Users: support, support2, customer, customer2, stranger, agent (and any in MAIL_EXTRA_USERS), all
#   @example.test with the password "secret"; the IMAP login is the full address.
#   SMTP: no TLS, no AUTH; accepts mail for @example.test only (anything else: 554 relay access denied), and
#   hands it to Dovecot over LMTP. Mail to an unknown user at example.test is accepted, then Dovecot's LMTP
#   refuses it (550) and Postfix bounces it with an RFC 3464 delivery status notification to the sender.
#   Temporary failures are retried every second or two and bounced after MAIL_QUEUE_LIFETIME (default 30s).
# Exports ATEB_TEST_IMAP_PORT, ATEB_TEST_SMTP_PORT, ATEB_TEST_MAIL_DOMAIN, ATEB_TEST_MAIL_PASSWORD and
# ATEB_TEST_MAIL_DIR (the maildirs: $ATEB_TEST_MAIL_DIR/<address>/Maildir, for debugging).
# Needs root (Dovecot and Postfix drop privileges themselves). Logs: $MAIL_DIR/dovecot.log, $MAIL_DIR/postfix.log.
MAIL_DIR=""
MAIL_DOMAIN=example.test
MAIL_PASSWORD=secret
MAIL_INSTALL_LOCK=/tmp/ateb-mail-install.lock

mail_log() { printf '\n== %s\n' "$*" >&2; }

# Prints N distinct free ports on 127.0.0.1 (all bound at once, so they differ from each other).
mail_free_ports() {
  python3 -c '
import socket, sys
socks = []
for _ in range(int(sys.argv[1])):
    s = socket.socket(); s.bind(("127.0.0.1", 0)); socks.append(s)
print(" ".join(str(s.getsockname()[1]) for s in socks))
' "$1" 2>/dev/null || {
    local i base=$(( 20000 + RANDOM % 30000 )) out=""
    for ((i = 0; i < $1; i++)); do out="$out $((base + i))"; done
    echo "$out"
  }
}

mail_installed() {
  [ -x /usr/sbin/dovecot ] && [ -x /usr/lib/dovecot/imap ] && [ -x /usr/lib/dovecot/lmtp ] \
    && [ -x /usr/sbin/postfix ] && [ -x /usr/sbin/postconf ]
}

# Installs dovecot-imapd, dovecot-lmtpd and postfix with no service started: debconf says "No configuration" for
# Postfix and a temporary policy-rc.d forbids starting services (any existing one is put back afterwards). The
# services it installed are then disabled, so they do not start at boot either. Serialised by a lock, so two runs
# at once do not fight over apt or policy-rc.d.
mail_install() {
  if [ "$(id -u)" != 0 ]; then
    echo "mail.sh: Dovecot/Postfix are missing and this user cannot apt-get install them" >&2
    return 1
  fi
  if ! declare -F apt_install >/dev/null; then
    # shellcheck source=scripts/postgres.sh
    . "$(dirname "${BASH_SOURCE[0]}")/postgres.sh"
  fi
  (
    flock -w 900 9 || echo "mail.sh: could not lock $MAIL_INSTALL_LOCK, installing anyway" >&2
    if mail_installed; then exit 0; fi
    policy=/usr/sbin/policy-rc.d
    saved=""
    if [ -e "$policy" ] || [ -L "$policy" ]; then
      saved=$(mktemp /tmp/ateb-mail-policy-rc.d.XXXXXX)
      cp -a "$policy" "$saved" || exit 1
    fi
    trap 'if [ -n "$saved" ]; then mv -f "$saved" "$policy"; else rm -f "$policy"; fi' EXIT
    printf '#!/bin/sh\n# Temporary, from Ateb scripts/mail.sh: no service starts during this apt-get install.\nexit 101\n' >"$policy"
    chmod 755 "$policy"
    echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
    apt_install dovecot-imapd dovecot-lmtpd postfix || exit 1
    # Installed here for the tests only: do not let them start at boot.
    systemctl disable --quiet dovecot.service dovecot.socket postfix.service >/dev/null 2>&1 || true
    mail_installed
  ) 9>"$MAIL_INSTALL_LOCK"
}

mail_write_dovecot_conf() {
  local imap_port=$1 lmtp_port=$2 uid=$3 gid=$4 user
  : >"$MAIL_DIR/users"
  # shellcheck disable=SC2086 # MAIL_EXTRA_USERS is a space-separated list
  for user in support support2 customer customer2 stranger agent ${MAIL_EXTRA_USERS:-}; do
    mkdir -p "$MAIL_DIR/mail/$user@$MAIL_DOMAIN"
    printf '%s@%s:{PLAIN}%s:%s:%s::%s::\n' "$user" "$MAIL_DOMAIN" "$MAIL_PASSWORD" "$uid" "$gid" \
      "$MAIL_DIR/mail/$user@$MAIL_DOMAIN" >>"$MAIL_DIR/users"
  done
  chown -R "$uid:$gid" "$MAIL_DIR/mail"
  chmod 644 "$MAIL_DIR/users"
  mkdir -p "$MAIL_DIR/dovecot-state"
  cat >"$MAIL_DIR/dovecot.conf" <<EOF
# Private Dovecot for one Ateb test run (scripts/mail.sh); nothing here is shared with the system's Dovecot.
instance_name = $(basename "$MAIL_DIR")
base_dir = $MAIL_DIR/dovecot-run
state_dir = $MAIL_DIR/dovecot-state
log_path = $MAIL_DIR/dovecot.log
protocols = imap lmtp
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_verbose = yes
auth_failure_delay = 0
# No login penalty for failed attempts from here (tests try wrong passwords).
login_trusted_networks = 127.0.0.0/8
# Every mailbox belongs to this one system user ($uid); Dovecot refuses root.
first_valid_uid = $uid
last_valid_uid = $uid
first_valid_gid = $gid
last_valid_gid = $gid
mail_location = maildir:~/Maildir
mail_fsync = never
# IDLE is on by default; inotify wakes it at once, this is only the fallback poll.
mailbox_idle_check_interval = 1 secs
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%Lu $MAIL_DIR/users
}
userdb {
  driver = passwd-file
  args = username_format=%Lu $MAIL_DIR/users
}
namespace inbox {
  inbox = yes
  mailbox Drafts {
    special_use = \\Drafts
  }
  mailbox Junk {
    special_use = \\Junk
  }
  mailbox Trash {
    special_use = \\Trash
  }
  mailbox Sent {
    special_use = \\Sent
  }
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = $imap_port
  }
  inet_listener imaps {
    port = 0
  }
}
service lmtp {
  inet_listener lmtp {
    address = 127.0.0.1
    port = $lmtp_port
  }
}
protocol imap {
  mail_max_userip_connections = 200
}
protocol lmtp {
  postmaster_address = postmaster@$MAIL_DOMAIN
}
EOF
}

mail_write_postfix_conf() {
  local smtp_port=$1 lmtp_port=$2 cfg="$MAIL_DIR/postfix"
  mkdir -p "$cfg" "$MAIL_DIR/postfix-queue" "$MAIL_DIR/postfix-data"
  cat >"$cfg/main.cf" <<EOF
# Private Postfix for one Ateb test run (scripts/mail.sh); nothing here is shared with the system's Postfix.
compatibility_level = 3.6
config_directory = $cfg
queue_directory = $MAIL_DIR/postfix-queue
data_directory = $MAIL_DIR/postfix-data
command_directory = /usr/sbin
daemon_directory = /usr/lib/postfix/sbin
meta_directory = /etc/postfix
shlib_directory = /usr/lib/postfix
mail_owner = postfix
setgid_group = postdrop
syslog_name = postfix-ateb
maillog_file = $MAIL_DIR/postfix.log
maillog_file_prefixes = $MAIL_DIR
myhostname = mail.$MAIL_DOMAIN
mydomain = $MAIL_DOMAIN
myorigin = \$mydomain
append_dot_mydomain = no
biff = no
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
smtpd_banner = \$myhostname ESMTP Ateb test
# Only example.test is served (by Dovecot over LMTP); nothing is ever relayed anywhere else.
mydestination =
local_recipient_maps =
alias_maps =
alias_database =
relay_domains =
virtual_mailbox_domains = $MAIL_DOMAIN
virtual_transport = lmtp:inet:127.0.0.1:$lmtp_port
default_transport = error:this test mail system delivers to $MAIL_DOMAIN only
relay_transport = error:this test mail system delivers to $MAIL_DOMAIN only
smtpd_relay_restrictions = reject_unauth_destination
smtpd_recipient_restrictions =
# Unknown users at example.test are accepted, then bounced (an RFC 3464 report to the sender).
smtpd_reject_unlisted_recipient = no
smtpd_tls_security_level = none
smtp_tls_security_level = none
lmtp_tls_security_level = none
smtpd_error_sleep_time = 0
message_size_limit = 52428800
# Dovecot 2.3's LMTP lacks SMTPUTF8, so Postfix would bounce any mail sent with it: it is not offered (mail with raw
# UTF-8 headers still goes through, as 8BITMIME).
smtputf8_enable = no
# Seconds, not hours: retries, bounces and give-ups happen while a test waits.
queue_run_delay = 1s
minimal_backoff_time = 1s
maximal_backoff_time = 2s
maximal_queue_lifetime = ${MAIL_QUEUE_LIFETIME:-30s}
bounce_queue_lifetime = ${MAIL_QUEUE_LIFETIME:-30s}
delay_warning_time = 0
lmtp_connect_timeout = 5s
EOF
  cat >"$cfg/master.cf" <<EOF
# service type  private unpriv  chroot  wakeup  maxproc command
127.0.0.1:$smtp_port inet n - n - - smtpd
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
proxywrite unix -       -       n       -       1       proxymap
smtp      unix  -       -       n       -       -       smtp
relay     unix  -       -       n       -       -       smtp
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
lmtp      unix  -       -       n       -       -       lmtp
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
EOF
  chmod 644 "$cfg/main.cf" "$cfg/master.cf"
  # Postfix waits (up to ~2 s) while main.cf is brand new, in case an editor is still writing it.
  touch -d '1 minute ago' "$cfg/main.cf" "$cfg/master.cf"
  chown postfix "$MAIL_DIR/postfix-data"
}

# Waits until 127.0.0.1:$1 accepts connections; $2 = seconds.
mail_wait_port() {
  local port=$1 deadline=$((SECONDS + $2))
  while [ "$SECONDS" -lt "$deadline" ]; do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then return 0; fi
    sleep 0.2
  done
  return 1
}

mail_fail() {
  echo "mail.sh: $*" >&2
  local f
  for f in "$MAIL_DIR/start.log" "$MAIL_DIR/dovecot.log" "$MAIL_DIR/postfix.log"; do
    if [ -s "$f" ]; then echo "--- $f" >&2; tail -50 "$f" >&2; fi
  done
  return 1
}

mail_start() {
  if ! mail_installed; then
    mail_install || { echo "mail.sh: installing Dovecot/Postfix failed" >&2; return 1; }
  fi
  if [ "$(id -u)" != 0 ]; then
    echo "mail.sh: the private Dovecot/Postfix need root" >&2
    return 1
  fi
  MAIL_DIR=$(mktemp -d /tmp/ateb-mail.XXXXXX)
  chmod 755 "$MAIL_DIR" # Dovecot's and Postfix's unprivileged processes reach their files through it
  local ports imap_port lmtp_port smtp_port uid gid
  ports=$(mail_free_ports 3)
  read -r imap_port lmtp_port smtp_port <<<"$ports"
  if ! uid=$(id -u mail) || ! gid=$(id -g mail); then echo "mail.sh: no 'mail' system user" >&2; return 1; fi

  mail_write_dovecot_conf "$imap_port" "$lmtp_port" "$uid" "$gid"
  mail_write_postfix_conf "$smtp_port" "$lmtp_port"

  {
    doveconf -c "$MAIL_DIR/dovecot.conf" -n >/dev/null && dovecot -c "$MAIL_DIR/dovecot.conf"
  } >>"$MAIL_DIR/start.log" 2>&1 || { mail_fail "Dovecot did not start"; return 1; }
  # "postfix start" runs the whole "postfix check" first (and fails on its fatal findings); its warnings are shown.
  postfix -c "$MAIL_DIR/postfix" start >>"$MAIL_DIR/start.log" 2>&1 || { mail_fail "Postfix did not start"; return 1; }
  if grep -i 'warning' "$MAIL_DIR/start.log" >&2; then echo "mail.sh: see the Postfix warnings above" >&2; fi

  local port
  for port in "$imap_port" "$lmtp_port" "$smtp_port"; do
    mail_wait_port "$port" 30 || { mail_fail "nothing listens on 127.0.0.1:$port after 30 s"; return 1; }
  done

  export ATEB_TEST_IMAP_PORT=$imap_port
  export ATEB_TEST_SMTP_PORT=$smtp_port
  export ATEB_TEST_MAIL_DOMAIN=$MAIL_DOMAIN
  export ATEB_TEST_MAIL_PASSWORD=$MAIL_PASSWORD
  export ATEB_TEST_MAIL_DIR="$MAIL_DIR/mail"
  mail_log "Dovecot $(dovecot --version | awk '{print $1}') IMAP on 127.0.0.1:$imap_port," \
    "Postfix $(postconf -c "$MAIL_DIR/postfix" -h mail_version) SMTP on 127.0.0.1:$smtp_port"
}

# Prints the pid in pid file $1 if that process is alive and its command line has $2 in it.
mail_pid() {
  local pid
  pid=$(head -1 "$1" 2>/dev/null | tr -dc 0-9) || true
  if [ -n "$pid" ] && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- "$2"; then echo "$pid"; fi
}

# Stops both servers: asks each master to stop, gives them a moment, then kills whatever of this instance is left
# (a throwaway instance: nothing in it is worth waiting for). Never fails; safe when mail_start never ran.
mail_cleanup() {
  [ -n "$MAIL_DIR" ] && [ -d "$MAIL_DIR" ] || return 0
  (
    set +e +o pipefail
    postfix_pid=$(mail_pid "$MAIL_DIR/postfix-queue/pid/master.pid" master)
    dovecot_pid=$(mail_pid "$MAIL_DIR/dovecot-run/master.pid" dovecot)
    pids=""
    for pid in $postfix_pid $dovecot_pid; do
      pids="$pids $pid $(ps -o pid= --ppid "$pid" | tr '\n' ' ')"
    done
    # Dovecot's processes are named after the instance, which is this run's own folder name.
    pids="$pids $(pgrep -f "^dovecot-$(basename "$MAIL_DIR")/" | tr '\n' ' ')"
    [ -n "$dovecot_pid" ] && kill "$dovecot_pid"
    [ -n "$postfix_pid" ] && { postfix -c "$MAIL_DIR/postfix" abort >/dev/null 2>&1 || kill "$postfix_pid"; }
    for ((i = 0; i < 10; i++)); do
      alive=""
      for pid in $pids; do kill -0 "$pid" && alive=1; done
      [ -z "$alive" ] && break
      sleep 0.1
    done
    for pid in $pids; do kill -9 "$pid"; done
  ) 2>/dev/null || true
  rm -rf "$MAIL_DIR" || true
  MAIL_DIR=""
  return 0
}
