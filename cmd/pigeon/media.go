package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/mattn/go-isatty"
	"github.com/schollz/progressbar/v3"

	"github.com/pigeon-net/pigeon/node/localapi"
	"github.com/pigeon-net/pigeon/storage"
)

func sendFlags(fs *flag.FlagSet) {
	fs.String("file", "", "send the file at `PATH` instead of a text")
	fs.String("caption", "", "with --file: a `TEXT` shown with the file")
	fs.String("thumbnail", "", "with --file: a preview image `PATH` (for videos; the node makes previews of images itself)")
	groupFlag(fs)
}

func mediaFlags(fs *flag.FlagSet) {
	fs.String("out", "", "get: write the file to `PATH` (default: its name, in the current directory)")
	fs.Int("limit", 50, "list: show at most `N` files (1 to 1000)")
	groupFlag(fs)
}

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
		return a.mediaGet(args[0], flagValue[string](fs, "out"))
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

// mediaGet downloads a file (the daemon fetches it first if needed) into a
// temporary file beside the destination, renamed into place only once the
// whole body arrived: the daemon cuts the connection when a check fails at
// the end, so a short body means a bad file.
func (a *app) mediaGet(arg, out string) error {
	id, err := parseMessageID(arg)
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
	if out == "" {
		out = m.Name
		if out == "" || out == "." || out == ".." || strings.ContainsAny(out, `/\`) {
			out = id
		}
	}
	req, err := http.NewRequestWithContext(a.ctx, "GET", "http://"+c.addr+"/v1/media/"+id+"/content", nil)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	fmt.Fprintf(a.stderr, "fetching %s (%d bytes)\n", clean(m.Name), m.Size)
	resp, err := c.stream().Do(req)
	if err != nil {
		return connError(c.addr, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return decodeResponse(resp, nil)
	}
	dir, base := filepath.Split(out)
	if dir == "" {
		dir = "."
	}
	tmp, err := os.CreateTemp(dir, "."+base+".*.part")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // after a successful rename this fails harmlessly
	bar := a.progressBar(int64(m.Size), "downloading")
	n, err := io.Copy(io.MultiWriter(tmp, bar), resp.Body)
	_ = bar.Close()
	if err == nil && uint64(n) != m.Size {
		err = fmt.Errorf("download cut short at %d of %d bytes (the file failed a check; see the daemon's log)", n, m.Size)
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("download %s: %w", id, err)
	}
	if err := os.Rename(tmp.Name(), out); err != nil {
		return err
	}
	fmt.Fprintln(a.stdout, out)
	return nil
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
