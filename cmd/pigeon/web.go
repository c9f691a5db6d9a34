package main

import (
	"errors"
	"flag"
	"fmt"
	"html"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/pigeon-net/pigeon/node/localapi"
)

// loginPageFile is the page `pigeon web` opens: it sends the browser on to
// the login link, so the link's one-time code is never on a command line,
// where other users of the machine could read it.
const loginPageFile = "web-login.html"

// errNoBrowser: nothing here can open a browser.
var errNoBrowser = errors.New("no browser to open here (no $BROWSER, and no display for xdg-open)")

func webFlags(fs *flag.FlagSet) {
	fs.Bool("no-open", false, "print the login link without opening a browser")
}

func cmdWeb(a *app, fs *flag.FlagSet, args []string) error {
	if err := wantArgs("web", args, 0, 0, ""); err != nil {
		return err
	}
	c, err := a.client()
	if err != nil {
		return err
	}
	var lc localapi.LoginCode
	if err := c.do(a.ctx, "POST", "/v1/web/login-codes", nil, &lc); err != nil {
		return err
	}
	if a.json {
		err = a.printJSON(lc)
	} else {
		_, err = fmt.Fprintln(a.stdout, lc.URL)
	}
	if err != nil {
		return err
	}
	const once = "it logs in once, within 10 minutes"
	if flagValue[bool](fs, "no-open") {
		fmt.Fprintf(a.stderr, "open the link in a browser on this machine; %s\n", once)
		return nil
	}
	if err := a.openLogin(lc.URL); err != nil {
		fmt.Fprintf(a.stderr, "could not open a browser: %v; open the link in a browser on this machine (%s)\n", err, once)
		return nil
	}
	fmt.Fprintf(a.stderr, "opened the web client in your browser; the link %s\n", strings.TrimPrefix(once, "it "))
	return nil
}

// openLogin writes a page that forwards to url into the home directory
// (mode 0600) and opens it in the user's browser.
func (a *app) openLogin(url string) error {
	page := `<!doctype html><html><head><meta charset="utf-8"><meta http-equiv="refresh" content="0;url=` +
		html.EscapeString(url) + `"><title>Pigeon</title></head><body><p><a href="` + html.EscapeString(url) +
		`">Open Pigeon</a></p></body></html>` + "\n"
	path := filepath.Join(a.home, loginPageFile)
	if err := writeFileAtomic(path, []byte(page), 0o600); err != nil {
		return err
	}
	cmd, err := browserCommand(path)
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("open browser: %w", err)
	}
	// The opener (xdg-open, open) hands the page to the browser and exits;
	// a browser started by $BROWSER runs on after us.
	return cmd.Process.Release()
}

// browserCommand returns the command that opens path in the user's
// browser: $BROWSER (the first of its colon-separated commands; "%s" in it
// is replaced by the path, else the path is appended), else open on macOS,
// the URL handler on Windows, and xdg-open where there is a display.
func browserCommand(path string) (*exec.Cmd, error) {
	if b := os.Getenv("BROWSER"); b != "" {
		fields := strings.Fields(strings.Split(b, ":")[0])
		if len(fields) == 0 {
			return nil, errNoBrowser
		}
		replaced := false
		for i, f := range fields {
			if strings.Contains(f, "%s") {
				fields[i], replaced = strings.ReplaceAll(f, "%s", path), true
			}
		}
		if !replaced {
			fields = append(fields, path)
		}
		return exec.Command(fields[0], fields[1:]...), nil
	}
	switch runtime.GOOS {
	case "darwin":
		return exec.Command("open", path), nil
	case "windows":
		return exec.Command("rundll32", "url.dll,FileProtocolHandler", path), nil
	}
	if os.Getenv("DISPLAY") == "" && os.Getenv("WAYLAND_DISPLAY") == "" {
		return nil, errNoBrowser
	}
	opener, err := exec.LookPath("xdg-open")
	if err != nil {
		return nil, errNoBrowser
	}
	return exec.Command(opener, path), nil
}
