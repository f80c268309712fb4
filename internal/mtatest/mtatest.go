// Package mtatest starts a real Postfix for a test: a private instance
// with its own configuration, queue and log under a temporary directory,
// listening for SMTP on a loopback port, that delivers mail for the cell's
// domain to a pipe command (as a cell's mail server hands requisitions to
// `desk intake receive`) and mail for the members' domain to mailbox
// files the test reads back. It touches nothing of the machine's own mail
// system and needs no syslog (maillog_file).
//
// Postfix refuses to run as anything but root for its master; the pipe
// runs as an unprivileged user (nobody), so what it reads and writes must
// be that user's: Start makes its directories so, and Chown helps the
// test with its own. Locally, a machine without Postfix skips the test;
// under CI it fails (package testenv).
package mtatest

import (
	"bufio"
	"bytes"
	"fmt"
	"net"
	"net/smtp"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ccjkit/ccjkit/internal/itest"
	"github.com/ccjkit/ccjkit/internal/testenv"
)

// The domains of the instance: mail to CellDomain goes to the pipe, mail
// to MemberDomain to one mailbox file per local part, in Dir/mail.
const (
	CellDomain   = "cell.example"
	MemberDomain = "oncall.example"
	// Hostname is the instance's myhostname, and the authserv-id a
	// milter would write.
	Hostname = "mx.cell.example"
)

// Config is what the instance delivers to.
type Config struct {
	// Pipe is the command mail to CellDomain is piped to, one argument
	// per element (no shell), run as PipeUser.
	Pipe []string
	// Mailboxes are the local parts at MemberDomain that have a mailbox
	// (Postfix's virtual(8) refuses a regular expression's substitution
	// there, so each is listed).
	Mailboxes []string
}

// Postfix is a running instance.
type Postfix struct {
	t testing.TB
	// Dir holds the instance: etc (main.cf, master.cf), queue, data,
	// mail (the members' mailboxes), maillog.
	Dir string
	// Port is the SMTP port on 127.0.0.1.
	Port int
	// UID and GID are those of PipeUser, who runs the pipe and owns
	// the mailboxes.
	UID, GID int
}

// PipeUser is the user the pipe runs as.
const PipeUser = "nobody"

// Start starts an instance and stops it when the test ends.
func Start(t testing.TB, cfg Config) *Postfix {
	t.Helper()
	postfix := testenv.LookPath(t, "postfix", "postfix")
	if os.Geteuid() != 0 {
		t.Skip("skipping: Postfix's master runs as root, and this test does not")
	}
	u, err := user.Lookup(PipeUser)
	if err != nil {
		t.Fatalf("no user %s: %v", PipeUser, err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	dir, err := os.MkdirTemp("", "ccjkit-postfix-")
	if err != nil {
		t.Fatal(err)
	}
	p := &Postfix{t: t, Dir: dir, UID: uid, GID: gid}
	t.Cleanup(func() { p.stop(postfix); os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, d := range []string{"etc", "queue", "data", "mail"} {
		if err := os.Mkdir(filepath.Join(dir, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if pf, err := user.Lookup("postfix"); err == nil {
		puid, _ := strconv.Atoi(pf.Uid)
		os.Chown(filepath.Join(dir, "data"), puid, -1)
	}
	if err := os.Chown(filepath.Join(dir, "mail"), uid, gid); err != nil {
		t.Fatal(err)
	}
	for attempt := 0; ; attempt++ {
		p.Port = freePort(t)
		p.configure(cfg)
		out, err := runTTY(postfix, "-c", filepath.Join(dir, "etc"), "start")
		if err == nil {
			break
		}
		if attempt == 4 {
			t.Fatalf("postfix start: %v\n%s\n%s", err, out, p.Log())
		}
		runTTY(postfix, "-c", filepath.Join(dir, "etc"), "stop")
	}
	itest.WaitFor(t, "Postfix to accept SMTP connections", func() bool {
		c, err := net.DialTimeout("tcp", p.Addr(), time.Second)
		if err != nil {
			return false
		}
		c.Close()
		return true
	})
	return p
}

// Addr is the instance's SMTP address.
func (p *Postfix) Addr() string { return net.JoinHostPort("127.0.0.1", strconv.Itoa(p.Port)) }

// configure writes main.cf and master.cf.
func (p *Postfix) configure(cfg Config) {
	d := p.Dir
	main := fmt.Sprintf(`compatibility_level = 3.6
config_directory = %[1]s/etc
queue_directory = %[1]s/queue
data_directory = %[1]s/data
mail_owner = postfix
setgid_group = postdrop
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
myhostname = %[2]s
mydomain = %[3]s
mydestination = %[3]s
mynetworks = 127.0.0.0/8
local_recipient_maps =
local_transport = ccjintake
ccjintake_destination_recipient_limit = 1
default_transport = error:this test delivers no mail outside its domains
relayhost =
smtputf8_enable = no
alias_maps =
alias_database =
biff = no
maillog_file = %[1]s/maillog
maillog_file_prefixes = %[1]s
virtual_mailbox_domains = %[4]s
virtual_mailbox_base = %[1]s/mail
virtual_mailbox_maps = texthash:%[1]s/etc/mailboxes
virtual_uid_maps = static:%[5]d
virtual_gid_maps = static:%[6]d
queue_run_delay = 1s
minimal_backoff_time = 1s
maximum_backoff_time = 2s
transport_retry_time = 1s
`, d, Hostname, CellDomain, MemberDomain, p.UID, p.GID)
	// Each member's mail goes to the mailbox file named after its local
	// part (mbox format).
	var mailboxes strings.Builder
	for _, m := range cfg.Mailboxes {
		if m == "" || strings.ContainsAny(m, " \t\n@/") {
			p.t.Fatalf("mtatest: a mailbox's local part holds a space, @ or /")
		}
		fmt.Fprintf(&mailboxes, "%s@%s %s\n", m, MemberDomain, m)
	}
	var argv []string
	for _, a := range cfg.Pipe {
		if strings.ContainsAny(a, " \t\n{}") {
			p.t.Fatalf("a pipe argument holds a space or a brace, which master.cf cannot pass")
		}
		argv = append(argv, a)
	}
	master := fmt.Sprintf(`127.0.0.1:%d inet n - n - - smtpd
pickup    unix  n - n 60   1 pickup
cleanup   unix  n - n -    0 cleanup
qmgr      unix  n - n 300  1 qmgr
rewrite   unix  - - n -    - trivial-rewrite
bounce    unix  - - n -    0 bounce
defer     unix  - - n -    0 bounce
trace     unix  - - n -    0 bounce
verify    unix  - - n -    1 verify
flush     unix  n - n 1000? 0 flush
proxymap  unix  - - n -    - proxymap
smtp      unix  - - n -    - smtp
relay     unix  - - n -    - smtp
showq     unix  n - n -    - showq
error     unix  - - n -    - error
retry     unix  - - n -    - error
discard   unix  - - n -    - discard
local     unix  - n n -    - local
virtual   unix  - n n -    - virtual
anvil     unix  - - n -    1 anvil
scache    unix  - - n -    1 scache
postlog   unix-dgram n - n - 1 postlogd
ccjintake unix  - n n -    - pipe flags=Rq user=%s argv=%s
`, p.Port, PipeUser, strings.Join(argv, " "))
	for name, text := range map[string]string{"main.cf": main, "master.cf": master, "mailboxes": mailboxes.String()} {
		if err := os.WriteFile(filepath.Join(d, "etc", name), []byte(text), 0o644); err != nil {
			p.t.Fatal(err)
		}
	}
	if len(cfg.Pipe) == 0 {
		p.t.Fatal("mtatest: no pipe command")
	}
}

// runTTY runs a postfix command with a pseudo-terminal on its standard
// error, where Postfix writes its fatal errors (otherwise only to syslog).
func runTTY(name string, args ...string) ([]byte, error) {
	script, err := exec.LookPath("script")
	if err != nil {
		return exec.Command(name, args...).CombinedOutput()
	}
	line := name
	for _, a := range args {
		line += " '" + strings.ReplaceAll(a, "'", `'\''`) + "'"
	}
	return exec.Command(script, "-qec", line, "/dev/null").CombinedOutput()
}

// stop stops the instance, and kills its master if it lingers.
func (p *Postfix) stop(postfix string) {
	runTTY(postfix, "-c", filepath.Join(p.Dir, "etc"), "stop")
	b, err := os.ReadFile(filepath.Join(p.Dir, "queue", "pid", "master.pid"))
	if err != nil {
		return
	}
	if pid, err := strconv.Atoi(strings.TrimSpace(string(b))); err == nil {
		if proc, err := os.FindProcess(pid); err == nil {
			proc.Kill()
		}
	}
}

// Send hands a message to the instance over SMTP, as a sender's server
// would, and returns once the instance accepted it (250 after DATA).
func (p *Postfix) Send(from string, to []string, msg []byte) error {
	return smtp.SendMail(p.Addr(), nil, from, to, msg)
}

// Log returns the instance's log so far.
func (p *Postfix) Log() string {
	b, _ := os.ReadFile(filepath.Join(p.Dir, "maillog"))
	return string(b)
}

// WaitLog waits until n lines of the log match re, and returns them.
func (p *Postfix) WaitLog(t testing.TB, what string, re *regexp.Regexp, n int) []string {
	t.Helper()
	var lines []string
	defer func() {
		if t.Failed() {
			t.Logf("the mail log:\n%s", p.Log())
		}
	}()
	itest.WaitFor(t, what, func() bool {
		lines = p.matching(re)
		return len(lines) >= n
	})
	return lines
}

// Flush asks the instance to attempt every queued message now
// (postqueue -f), as an operator does once the cause of a deferral is
// gone. A test needs it because Postfix's queue manager, finding a
// deferred message still locked by the delivery that deferred it, puts it
// back in the incoming queue, which it scans again only when new mail
// arrives or when it restarts (after max_idle, 100 s).
func (p *Postfix) Flush(t testing.TB) {
	t.Helper()
	postqueue := testenv.LookPath(t, "postqueue", "postfix")
	if out, err := runTTY(postqueue, "-c", filepath.Join(p.Dir, "etc"), "-f"); err != nil {
		t.Fatalf("postqueue -f: %v\n%s", err, out)
	}
}

// WaitLogFlushing is WaitLog for a deferred message: it asks the instance
// to retry its queue (Flush) every two seconds while it waits.
func (p *Postfix) WaitLogFlushing(t testing.TB, what string, re *regexp.Regexp, n int) []string {
	t.Helper()
	var lines []string
	defer func() {
		if t.Failed() {
			t.Logf("the mail log:\n%s", p.Log())
		}
	}()
	var flushed time.Time
	itest.WaitFor(t, what, func() bool {
		lines = p.matching(re)
		if len(lines) >= n {
			return true
		}
		if time.Since(flushed) >= 2*time.Second {
			p.Flush(t)
			flushed = time.Now()
		}
		return false
	})
	return lines
}

// matching returns the log's lines that match re.
func (p *Postfix) matching(re *regexp.Regexp) []string {
	var lines []string
	sc := bufio.NewScanner(bytes.NewReader([]byte(p.Log())))
	for sc.Scan() {
		if re.MatchString(sc.Text()) {
			lines = append(lines, sc.Text())
		}
	}
	return lines
}

// Mailbox returns the mbox file of a member's local part, "" while it
// has received nothing.
func (p *Postfix) Mailbox(local string) string {
	b, _ := os.ReadFile(filepath.Join(p.Dir, "mail", local))
	return string(b)
}

// Chown gives path, and everything under it, to the pipe's user.
func (p *Postfix) Chown(t testing.TB, path string) {
	t.Helper()
	err := filepath.Walk(path, func(name string, _ os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		return os.Lchown(name, p.UID, p.GID)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// freePort returns a loopback port free now.
func freePort(t testing.TB) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}
