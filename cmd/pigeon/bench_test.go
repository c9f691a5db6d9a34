package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/pigeon-net/pigeon/node/localapi"
)

// idleBaselineSource is the baseline process of
// BenchmarkDaemonStartupAndIdleMemory: the least a Go daemon with a local
// HTTP API does. It listens on 127.0.0.1:0, answers every request with 200,
// publishes its address the way pigeon does (api.addr, written atomically)
// and idles.
const idleBaselineSource = `package main

import (
	"net"
	"net/http"
	"os"
	"path/filepath"
)

func main() {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	dir := os.Args[1]
	tmp := filepath.Join(dir, ".api.addr.tmp")
	if err := os.WriteFile(tmp, []byte(ln.Addr().String()+"\n"), 0o644); err != nil {
		panic(err)
	}
	if err := os.Rename(tmp, filepath.Join(dir, "api.addr")); err != nil {
		panic(err)
	}
	http.Serve(ln, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("{}"))
	}))
}
`

// BenchmarkDaemonStartupAndIdleMemory measures how long `pigeon daemon`
// takes until its local API answers GET /v1/info, on a fresh home (which
// includes creating the account) and again on the same home, and its
// resident memory once idle. The baseline, measured in the same run and the
// same way, is a trivial Go program that serves HTTP on a loopback port.
//
// Metrics, averaged over b.N iterations: startup-ms, restart-ms,
// idle-rss-MB, baseline-startup-ms, baseline-rss-MB, startup/baseline and
// rss/baseline. Each iteration takes a few seconds (the RSS has to settle),
// so run it with -benchtime=Nx:
//
//	go test -run='^$' -bench=DaemonStartup -benchtime=5x ./cmd/pigeon
func BenchmarkDaemonStartupAndIdleMemory(b *testing.B) {
	if runtime.GOOS != "linux" {
		b.Skip("reads /proc/PID/status")
	}
	bin, err := buildPigeon()
	if err != nil {
		b.Fatal(err)
	}
	baseline := buildIdleBaseline(b)

	var fresh, restart, rss, baseStart, baseRSS time.Duration // RSS in bytes, as a Duration for summing
	for b.Loop() {
		dir := b.TempDir()
		home := filepath.Join(dir, "home")
		args := []string{"--home", home, "daemon", "--api", "127.0.0.1:0", "--listen", "/ip4/127.0.0.1/tcp/0", "--listen", "/ip4/127.0.0.1/udp/0/quic-v1", "--log-level", "warn"}

		p, d := startUntilReady(b, home, bin, args...)
		fresh += d
		rss += time.Duration(p.idleRSS(b))
		p.terminate(b, true)

		p, d = startUntilReady(b, home, bin, args...)
		restart += d
		p.terminate(b, true)

		bdir := filepath.Join(dir, "baseline")
		if err := os.Mkdir(bdir, 0o700); err != nil {
			b.Fatal(err)
		}
		p, d = startUntilReady(b, bdir, baseline, bdir)
		baseStart += d
		baseRSS += time.Duration(p.idleRSS(b))
		p.terminate(b, false)
	}
	n := float64(b.N)
	ms := func(d time.Duration) float64 { return float64(d) / n / float64(time.Millisecond) }
	mb := func(d time.Duration) float64 { return float64(d) / n / (1 << 20) }
	b.ReportMetric(ms(fresh), "startup-ms")
	b.ReportMetric(ms(restart), "restart-ms")
	b.ReportMetric(mb(rss), "idle-rss-MB")
	b.ReportMetric(ms(baseStart), "baseline-startup-ms")
	b.ReportMetric(mb(baseRSS), "baseline-rss-MB")
	b.ReportMetric(float64(fresh)/float64(baseStart), "startup/baseline")
	b.ReportMetric(float64(rss)/float64(baseRSS), "rss/baseline")
}

// buildIdleBaseline builds idleBaselineSource and returns the binary.
func buildIdleBaseline(tb testing.TB) string {
	tb.Helper()
	dir := tb.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module idlebaseline\n"), 0o644); err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte(idleBaselineSource), 0o644); err != nil {
		tb.Fatal(err)
	}
	goTool := filepath.Join(runtime.GOROOT(), "bin", "go")
	if _, err := os.Stat(goTool); err != nil {
		goTool = "go"
	}
	bin := filepath.Join(dir, "idle")
	cmd := exec.Command(goTool, "build", "-o", bin, ".")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=")
	if out, err := cmd.CombinedOutput(); err != nil {
		tb.Fatalf("build baseline: %v\n%s", err, out)
	}
	return bin
}

// benchProc is a process started by startUntilReady.
type benchProc struct {
	cmd    *exec.Cmd
	log    *syncBuffer
	exited chan struct{}
	err    error // set before exited is closed
}

// startUntilReady starts bin and returns once dir/api.addr names an address
// that answers GET /v1/info with 200 (with the token from dir, if there is
// one), and how long that took from just before the process was started.
func startUntilReady(tb testing.TB, dir, bin string, args ...string) (*benchProc, time.Duration) {
	tb.Helper()
	p := &benchProc{cmd: exec.Command(bin, args...), log: new(syncBuffer), exited: make(chan struct{})}
	p.cmd.Stdout, p.cmd.Stderr = p.log, p.log
	hc := &http.Client{Timeout: requestTimeout}
	start := time.Now()
	if err := p.cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	go func() {
		p.err = p.cmd.Wait()
		close(p.exited)
	}()
	tb.Cleanup(func() { p.terminate(tb, false) })
	deadline := start.Add(e2eTimeout)
	for {
		if err := infoAnswers(hc, dir); err == nil {
			return p, time.Since(start)
		} else if time.Now().After(deadline) {
			tb.Fatalf("%s never became ready: %v\n%s", bin, err, p.log.String())
		}
		select {
		case <-p.exited:
			tb.Fatalf("%s exited (%v) before it was ready:\n%s", bin, p.err, p.log.String())
		case <-time.After(time.Millisecond):
		}
	}
}

// infoAnswers reports (as nil) whether the API whose address is in
// dir/api.addr answers GET /v1/info with 200.
func infoAnswers(hc *http.Client, dir string) error {
	b, err := os.ReadFile(filepath.Join(dir, addrFile))
	if err != nil {
		return err
	}
	addr := strings.TrimSpace(string(b))
	if addr == "" {
		return errors.New("empty api.addr")
	}
	req, err := http.NewRequest(http.MethodGet, "http://"+addr+"/v1/info", nil)
	if err != nil {
		return err
	}
	if tok, err := localapi.ReadToken(dir); err == nil {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	resp, err := hc.Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET /v1/info: %s", resp.Status)
	}
	return nil
}

// idleRSS polls the process's resident set size every 100 ms until two
// consecutive readings are within 2% of each other (at most 5 s) and
// returns the last reading in bytes.
func (p *benchProc) idleRSS(tb testing.TB) int64 {
	tb.Helper()
	prev := readRSS(tb, p.cmd.Process.Pid)
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
		cur := readRSS(tb, p.cmd.Process.Pid)
		if diff := cur - prev; diff*50 <= prev && -diff*50 <= prev {
			return cur
		}
		prev = cur
	}
	return prev
}

// readRSS returns VmRSS of pid in bytes.
func readRSS(tb testing.TB, pid int) int64 {
	tb.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		tb.Fatal(err)
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		rest, ok := strings.CutPrefix(sc.Text(), "VmRSS:")
		if !ok {
			continue
		}
		f := strings.Fields(rest) // "12345 kB"
		if len(f) != 2 || f[1] != "kB" {
			break
		}
		kb, err := strconv.ParseInt(f[0], 10, 64)
		if err != nil {
			break
		}
		return kb << 10
	}
	tb.Fatalf("no VmRSS in /proc/%d/status", pid)
	return 0
}

// terminate stops the process with SIGTERM and waits for it; clean asks for
// exit status 0. It is a no-op once the process has exited.
func (p *benchProc) terminate(tb testing.TB, clean bool) {
	select {
	case <-p.exited:
		return
	default:
	}
	p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.exited:
	case <-time.After(e2eTimeout):
		p.cmd.Process.Kill()
		<-p.exited
		tb.Errorf("%s did not exit after SIGTERM", p.cmd.Path)
	}
	if clean && p.err != nil {
		tb.Errorf("%s exit: %v\n%s", p.cmd.Path, p.err, p.log.String())
	}
}
