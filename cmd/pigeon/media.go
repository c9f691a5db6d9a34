package main

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/coder/websocket"
	"github.com/mattn/go-isatty"
	"github.com/schollz/progressbar/v3"

	"github.com/pigeon-net/pigeon/node/localapi"
	"github.com/pigeon-net/pigeon/protocol/media"
	"github.com/pigeon-net/pigeon/storage"
)

func sendFlags(fs *flag.FlagSet) {
	fs.String("file", "", "send the file at `PATH` instead of a text")
	fs.String("caption", "", "with --file: a `TEXT` shown with the file")
	fs.String("thumbnail", "", "with --file: a preview image `PATH` (for videos; the node makes previews of images itself)")
	fs.String("reply-to", "", "reply to message `ID` of the chat (history --ids shows IDs)")
	groupFlag(fs)
}

func mediaFlags(fs *flag.FlagSet) {
	fs.String("out", "", "get: save in directory `PATH` under the file's name, or as the file PATH (default: the current directory)")
	fs.Bool("force", false, "get: with --out naming a file, replace it if it exists")
	fs.Duration("wait", defaultMediaWait, "get: how long to wait for a sender that is offline (the daemon keeps trying for 24 h)")
	fs.Int("limit", 50, "list: show at most `N` files (1 to 1000)")
	groupFlag(fs)
}

// defaultMediaWait is how long `media get` waits for a file whose sender
// is offline.
const defaultMediaWait = 10 * time.Minute

// progressBar draws a bar on stderr when it is a terminal; elsewhere it
// draws nothing (scripts and logs get the result line only).
func (a *app) progressBar(size int64, what string) *progressbar.ProgressBar {
	visible := false
	if f, ok := a.stderr.(*os.File); ok {
		visible = isatty.IsTerminal(f.Fd())
	}
	return progressbar.NewOptions64(size,
		progressbar.OptionSetWriter(a.stderr),
		progressbar.OptionSetVisibility(visible),
		progressbar.OptionSetDescription(what),
		progressbar.OptionShowBytes(true),
		progressbar.OptionThrottle(100_000_000), // 100 ms
		progressbar.OptionClearOnFinish(),
	)
}

// streamClient is the API client without a request timeout: uploads and
// downloads take as long as they take (the context still cancels them).
func (c *client) stream() *http.Client { return &http.Client{} }

// cmdSendFile uploads a file as a stream (multipart: the optional
// thumbnail first, then the file) with a progress bar, and prints the
// message ID. chat is the query naming the chat: {"to": ACCOUNT} or
// {"group": GROUP}.
func (a *app) cmdSendFile(fs *flag.FlagSet, chat url.Values, path string) error {
	chat, err := withReplyTo(fs, chat)
	if err != nil {
		return err
	}
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	if st.IsDir() {
		return fmt.Errorf("%s is a directory", path)
	}
	var thumb []byte
	if tp := flagValue[string](fs, "thumbnail"); tp != "" {
		if thumb, err = os.ReadFile(tp); err != nil {
			return err
		}
	}
	c, err := a.client()
	if err != nil {
		return err
	}
	bar := a.progressBar(st.Size(), "sending")
	defer bar.Close()
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	go func() {
		err := func() error {
			if len(thumb) > 0 {
				w, err := mw.CreateFormFile("thumbnail", filepath.Base(flagValue[string](fs, "thumbnail")))
				if err != nil {
					return err
				}
				if _, err := w.Write(thumb); err != nil {
					return err
				}
			}
			w, err := mw.CreateFormFile("file", filepath.Base(path))
			if err != nil {
				return err
			}
			if _, err := io.Copy(io.MultiWriter(w, bar), f); err != nil {
				return err
			}
			return mw.Close()
		}()
		pw.CloseWithError(err)
	}()
	q := chat
	q.Set("caption", flagValue[string](fs, "caption"))
	req, err := http.NewRequestWithContext(a.ctx, "POST", "http://"+c.addr+"/v1/media?"+q.Encode(), pr)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, err := c.stream().Do(req)
	pr.CloseWithError(errors.New("request done")) // stop the writer if the daemon answered early
	if err != nil {
		return connError(c.addr, err)
	}
	defer resp.Body.Close()
	var out localapi.SendResponse
	if err := decodeResponse(resp, &out); err != nil {
		return err
	}
	_ = bar.Finish()
	fmt.Fprintln(a.stdout, out.ID)
	return nil
}

// decodeResponse maps an API response like client.do.
func decodeResponse(resp *http.Response, out any) error {
	b, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return fmt.Errorf("read response: %w", err)
	}
	return decodeBody(resp, b, out)
}

func cmdMedia(a *app, fs *flag.FlagSet, args []string) error {
	if len(args) == 0 {
		return usagef("media", "want get, list, info, rm or auto")
	}
	switch verb, args := args[0], args[1:]; verb {
	case "get":
		if err := wantArgs("media", args, 1, 1, "get MESSAGE_ID"); err != nil {
			return err
		}
		return a.mediaGet(args[0], flagValue[string](fs, "out"), flagValue[bool](fs, "force"), flagValue[time.Duration](fs, "wait"))
	case "list":
		if g := flagValue[string](fs, "group"); g != "" {
			id, err := a.groupArg(g)
			if err != nil {
				return err
			}
			if err := wantArgs("media", args, 0, 0, "list --group GROUP"); err != nil {
				return err
			}
			return a.mediaList("/v1/groups/"+id, flagValue[int](fs, "limit"))
		}
		if err := wantArgs("media", args, 1, 1, "list ACCOUNT"); err != nil {
			return err
		}
		peer, err := a.accountArg(args[0])
		if err != nil {
			return err
		}
		return a.mediaList("/v1/conversations/"+peer.String(), flagValue[int](fs, "limit"))
	case "info":
		if err := wantArgs("media", args, 1, 1, "info MESSAGE_ID"); err != nil {
			return err
		}
		id, err := parseMessageID(args[0])
		if err != nil {
			return err
		}
		c, err := a.client()
		if err != nil {
			return err
		}
		var m localapi.Media
		if err := c.do(a.ctx, "GET", "/v1/media/"+id, nil, &m); err != nil {
			return err
		}
		if a.json {
			return a.printJSON(m)
		}
		chat := m.Peer
		if m.Group != "" {
			chat = "group " + m.Group
		}
		w := a.table()
		fmt.Fprintf(w, "name\t%s\ntype\t%s\nsize\t%d\nstate\t%s\ncaption\t%s\nchat\t%s\nroot\t%s\n",
			clean(m.Name), clean(m.MIME), m.Size, m.State, clean(m.Caption), chat, m.Root)
		if m.Error != "" {
			fmt.Fprintf(w, "error\t%s\n", clean(m.Error))
		}
		if m.RetryUntil != "" {
			fmt.Fprintf(w, "retrying until\t%s\n", formatUntil(m.RetryUntil))
		}
		return w.Flush()
	case "rm":
		if err := wantArgs("media", args, 1, 1, "rm MESSAGE_ID"); err != nil {
			return err
		}
		id, err := parseMessageID(args[0])
		if err != nil {
			return err
		}
		c, err := a.client()
		if err != nil {
			return err
		}
		return c.do(a.ctx, "DELETE", "/v1/media/"+id, nil, nil)
	case "auto":
		return a.mediaAuto(args)
	}
	return usagef("media", "unknown media verb %q (want get, list, info, rm or auto)", args[0])
}

func parseMessageID(s string) (string, error) {
	id, err := storage.ParseMessageID(s)
	if err != nil {
		return "", errors.New("invalid message ID: want 32 hex characters")
	}
	return id.String(), nil
}

// mediaGet saves a file, fetching it first if needed (awaitDownload). out
// is a directory to save it in under the sender's name made safe
// (media.SafeName; "" is the current directory), or the path of a file,
// which must not exist unless force. The file is written to a temporary
// file in its directory and moved into place only once the whole body
// arrived (the daemon cuts the connection when a check fails at the end,
// so a short body means a bad file), never over an existing file: a taken
// name in a directory becomes "name (1).ext" and so on. It prints the
// path written.
func (a *app) mediaGet(arg, out string, force bool, wait time.Duration) error {
	id, err := parseMessageID(arg)
	if err != nil {
		return err
	}
	if wait <= 0 {
		return usagef("media", "--wait must be positive")
	}
	c, err := a.client()
	if err != nil {
		return err
	}
	var m localapi.Media
	if err := c.do(a.ctx, "GET", "/v1/media/"+id, nil, &m); err != nil {
		return err
	}
	// The destination is checked before a download that may be long.
	target, err := media.TargetFor(out, media.SafeName(m.Name, media.FallbackName(id, m.MIME)), force)
	if errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("%s exists: pass --force to replace it, or --out DIRECTORY to save the file there under a free name", out)
	}
	if err != nil {
		return err
	}
	if m.State != "local" {
		if err := a.awaitDownload(c, id, m, wait); err != nil {
			return err
		}
	}
	req, err := http.NewRequestWithContext(a.ctx, "GET", "http://"+c.addr+"/v1/media/"+id+"/content", nil)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	resp, err := c.stream().Do(req)
	if err != nil {
		return connError(c.addr, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return decodeResponse(resp, nil)
	}
	bar := a.progressBar(int64(m.Size), "saving")
	path, err := target.Save(func(w io.Writer) error {
		n, err := io.Copy(io.MultiWriter(w, bar), resp.Body)
		if err == nil && uint64(n) != m.Size {
			err = fmt.Errorf("download cut short at %d of %d bytes (the file failed a check; see the daemon's log)", n, m.Size)
		}
		return err
	})
	_ = bar.Close()
	if err != nil {
		return fmt.Errorf("media get %s: %w", id, err)
	}
	fmt.Fprintln(a.stdout, path)
	return nil
}

// awaitDownload has the daemon fetch file id (of m) and follows its events
// until the file is local, with a bar while bytes arrive and a line on
// stderr while the daemon waits for the sender (or another holder) to
// come online. It gives up after wait; the daemon goes on trying.
func (a *app) awaitDownload(c *client, id string, m localapi.Media, wait time.Duration) error {
	ctx, cancel := context.WithTimeout(a.ctx, wait)
	defer cancel()
	// Events first, so that none is missed between the request and them.
	conn, resp, err := websocket.Dial(ctx, "ws://"+c.addr+"/v1/events", &websocket.DialOptions{
		HTTPHeader: http.Header{"Authorization": {"Bearer " + c.token}},
	})
	if err != nil {
		if resp != nil && resp.StatusCode == http.StatusUnauthorized {
			return errUnauthorized
		}
		return connError(c.addr, err)
	}
	defer conn.CloseNow()
	conn.SetReadLimit(maxEventFrame)
	fmt.Fprintf(a.stderr, "fetching %s (%d bytes)\n", clean(m.Name), m.Size)
	if err := c.do(ctx, "POST", "/v1/media/"+id+"/fetch", nil, nil); err != nil {
		return err
	}
	bar := a.progressBar(int64(m.Size), "downloading")
	defer bar.Close()
	waiting := "" // the reason last shown, while the daemon waits to retry
	gaveUp := func() error {
		if waiting != "" {
			return fmt.Errorf("gave up waiting after %v: the sender has not come online; the daemon keeps trying: run `pigeon media get %s` again later (`pigeon media info %s` shows its state)", wait, id, id)
		}
		return fmt.Errorf("gave up waiting after %v: the download has not finished; it goes on in the daemon: run `pigeon media get %s` again later (`pigeon media info %s` shows its state)", wait, id, id)
	}
	state := func(st, reason, until string) (bool, error) {
		switch st {
		case "fetching":
			waiting = ""
		case "local":
			_ = bar.Finish()
			return true, nil
		case "failed":
			return false, fmt.Errorf("download of %s failed: %s (`pigeon media get %s` tries again)", id, clean(reason), id)
		case "retrying":
			if reason != waiting {
				waiting = reason
				fmt.Fprintf(a.stderr, "%s; the daemon keeps trying until %s\n", clean(cmp.Or(reason, "retrying")), formatUntil(until))
			}
		}
		return false, nil
	}
	// The download may have ended (or started waiting) before the events
	// were subscribed.
	recheck := func() (bool, error) {
		var now localapi.Media
		if err := c.do(ctx, "GET", "/v1/media/"+id, nil, &now); err != nil {
			if ctx.Err() != nil && a.ctx.Err() == nil {
				return false, gaveUp()
			}
			return false, err
		}
		return state(now.State, now.Error, now.RetryUntil)
	}
	for {
		done, err := recheck()
		if done || err != nil {
			return err
		}
		for dropped := false; !dropped; {
			_, b, err := conn.Read(ctx)
			switch {
			case err != nil && a.ctx.Err() != nil:
				return a.ctx.Err() // interrupted
			case err != nil && ctx.Err() != nil:
				return gaveUp()
			case err != nil && websocket.CloseStatus(err) == websocket.StatusGoingAway:
				return errors.New("daemon stopped")
			case err != nil:
				return fmt.Errorf("event stream: %w", err)
			}
			var ev localapi.Event
			if err := json.Unmarshal(b, &ev); err != nil {
				return fmt.Errorf("event stream: %w", err)
			}
			switch {
			case ev.Type == localapi.EventDropped:
				dropped = true // events were lost: read the state again
			case ev.ID != id:
			case ev.Type == localapi.EventMediaProgress && ev.Direction == "download":
				_ = bar.Set64(ev.Done)
			case ev.Type == localapi.EventMediaState:
				if done, err := state(ev.State, ev.Error, ev.RetryUntil); done || err != nil {
					return err
				}
			}
		}
	}
}

// formatUntil shows an RFC 3339 time from the daemon in local time.
func formatUntil(s string) string {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return "it gives up"
	}
	return t.Local().Format("2006-01-02 15:04")
}

// mediaList lists the files of the chat at path (a conversation or a
// group).
func (a *app) mediaList(chat string, limit int) error {
	if limit < 1 || limit > 1000 {
		return usagef("media", "--limit must be 1 to 1000")
	}
	c, err := a.client()
	if err != nil {
		return err
	}
	var ms []localapi.Media
	if err := c.do(a.ctx, "GET", chat+"/media?limit="+strconv.Itoa(limit), nil, &ms); err != nil {
		return err
	}
	if a.json {
		return a.printJSON(ms)
	}
	w := a.table()
	for _, m := range ms {
		fmt.Fprintf(w, "%s\t%s\t%s\t%d\t%s\t%s\n", m.ID, formatTime(m.CreatedAt), m.Direction, m.Size, m.State, clean(m.Name))
	}
	return w.Flush()
}

// mediaAuto shows or sets the auto-download limit: "auto" shows the
// default, "auto BYTES" sets it, "auto ACCOUNT BYTES" sets a chat's
// (negative: back to the default).
func (a *app) mediaAuto(args []string) error {
	if err := wantArgs("media", args, 0, 2, "auto [ACCOUNT] [BYTES]"); err != nil {
		return err
	}
	c, err := a.client()
	if err != nil {
		return err
	}
	if len(args) == 0 {
		var ad localapi.AutoDownload
		if err := c.do(a.ctx, "GET", "/v1/media-settings/auto-download", nil, &ad); err != nil {
			return err
		}
		if a.json {
			return a.printJSON(ad)
		}
		fmt.Fprintln(a.stdout, ad.MaxBytes)
		return nil
	}
	path := "/v1/media-settings/auto-download"
	if len(args) == 2 {
		peer, err := a.accountArg(args[0])
		if err != nil {
			return err
		}
		path = "/v1/conversations/" + peer.String() + "/auto-download"
		args = args[1:]
	}
	n, err := strconv.ParseInt(args[0], 10, 64)
	if err != nil {
		return usagef("media", "auto: BYTES must be a number")
	}
	return c.do(a.ctx, "PUT", path, localapi.AutoDownload{MaxBytes: n}, nil)
}
