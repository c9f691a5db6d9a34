package localapi

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/media"
	pmedia "github.com/pigeon-net/pigeon/protocol/media"
)

// Media is an attachment (GET /v1/media/{id}, and the "media" field of a
// Message that carries one).
type Media struct {
	ID        string    `json:"id"`              // the message's
	Peer      string    `json:"peer,omitempty"`  // the chat: an account,
	Group     string    `json:"group,omitempty"` // or a group
	PeerName  string    `json:"peer_name,omitempty"`
	GroupName string    `json:"group_name,omitempty"`
	Direction string    `json:"direction"`       // "in" or "out"
	State     string    `json:"state"`           // remote, fetching, retrying, local, failed or removed
	Error     string    `json:"error,omitempty"` // why the last download attempt failed
	Size      uint64    `json:"size"`
	Name      string    `json:"name"`
	MIME      string    `json:"mime"`
	Caption   string    `json:"caption,omitempty"`
	Width     uint32    `json:"width,omitempty"`
	Height    uint32    `json:"height,omitempty"`
	Thumbnail bool      `json:"thumbnail"` // GET /v1/media/{id}/thumbnail has a preview
	Root      string    `json:"root"`      // CID of the encrypted blocks
	CreatedAt time.Time `json:"created_at"`
	// RetryUntil is when a download waiting to retry gives up (state
	// retrying); RFC 3339.
	RetryUntil string `json:"retry_until,omitempty"`
}

// FetchRequest is the optional body of POST /v1/media/{id}/fetch.
type FetchRequest struct {
	// Providers are extra peers (peer IDs) to fetch from, for instance
	// group members known to have the file.
	Providers []string `json:"providers,omitempty"`
}

// ForwardRequest is the body of POST /v1/media/{id}/forward.
type ForwardRequest struct {
	To string `json:"to"`
}

// AutoDownload is the body and response of the auto-download endpoints.
type AutoDownload struct {
	// MaxBytes is the largest attachment fetched on arrival: 0 never; on a
	// conversation, negative removes its override.
	MaxBytes int64 `json:"max_bytes"`
}

func mediaJSON(mi media.Info) Media {
	m := Media{
		ID: mi.ID.String(), Direction: mi.Direction.String(), State: mi.State.String(),
		Error: mi.Error, Size: mi.Size, Name: mi.Name, MIME: mi.MIME, Caption: mi.Caption,
		Width: mi.Width, Height: mi.Height, Thumbnail: mi.Thumbnail != nil, Root: mi.Root, CreatedAt: utc(mi.CreatedAt),
	}
	m.Peer, m.Group = mediaChatJSON(mi.Chat)
	if !mi.RetryUntil.IsZero() {
		m.RetryUntil = mi.RetryUntil.UTC().Format(time.RFC3339)
	}
	return m
}

// mediaOut is an attachment with the names of its chat.
func (s *Server) mediaOut(_ *http.Request, mi media.Info, nm names) Media {
	m := mediaJSON(mi)
	m.PeerName, m.GroupName = nm.account(m.Peer), nm.group(m.Group)
	return m
}

// withMedia adds the attachment of a message, if it has one.
func (s *Server) withMedia(ctx context.Context, m Message) Message {
	id, err := core.ParseMessageID(m.ID)
	if err != nil {
		return m
	}
	if mi, err := s.node.Media().Info(ctx, id); err == nil {
		j := mediaJSON(mi)
		m.Media = &j
	}
	return m
}

func (s *Server) mediaRoutes() {
	s.mux.HandleFunc("POST /v1/media", s.handleSendMedia)
	s.mux.HandleFunc("GET /v1/media/{id}", s.handleMedia)
	s.mux.HandleFunc("GET /v1/media/{id}/content", s.handleMediaContent)
	s.mux.HandleFunc("GET /v1/media/{id}/thumbnail", s.handleThumbnail)
	s.mux.HandleFunc("POST /v1/media/{id}/fetch", s.handleFetchMedia)
	s.mux.HandleFunc("POST /v1/media/{id}/forward", s.handleForwardMedia)
	s.mux.HandleFunc("DELETE /v1/media/{id}", s.handleDeleteMedia)
	s.mux.HandleFunc("GET /v1/conversations/{account}/media", s.handleMediaList)
	s.mux.HandleFunc("GET /v1/groups/{group}/media", s.handleMediaList)
	s.mux.HandleFunc("GET /v1/media-settings/auto-download", s.handleGetAutoDownload)
	s.mux.HandleFunc("PUT /v1/media-settings/auto-download", s.handleSetAutoDownload)
	s.mux.HandleFunc("PUT /v1/conversations/{account}/auto-download", s.handleSetAutoDownload)
}

func pathMessageID(r *http.Request) (core.MessageID, error) {
	id, err := core.ParseMessageID(r.PathValue("id"))
	if err != nil {
		return id, fmt.Errorf("%w: %v", errBadRequest, err)
	}
	return id, nil
}

// handleSendMedia streams the request body (raw, or the "file" part of a
// multipart form after an optional "thumbnail" part) into the node, which
// encrypts and stores it as it arrives.
func (s *Server) handleSendMedia(w http.ResponseWriter, r *http.Request) {
	up, err := parseUpload(r, http.MaxBytesReader(w, r.Body, pmedia.MaxFileSize+1))
	if err != nil {
		s.fail(w, r, fmt.Errorf("send media: %w", err))
		return
	}
	var id core.MessageID
	if up.group {
		id, err = s.node.Media().SendToGroup(r.Context(), up.gid, up.file, up.f)
	} else {
		id, err = s.node.Media().Send(r.Context(), up.to, up.file, up.f)
	}
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			err = fmt.Errorf("send media: %w: file over %d bytes", errBodyTooLarge, int64(pmedia.MaxFileSize))
		}
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Location", "/v1/media/"+id.String())
	writeJSON(w, http.StatusCreated, SendResponse{ID: id.String()})
}

// upload is a parsed POST /v1/media: the chat, the file's metadata, and
// the file's bytes, still to be read from the request body.
type upload struct {
	to    core.AccountID
	gid   core.GroupID
	group bool
	f     media.File
	file  io.Reader
}

// parseUpload reads an upload's query and, for a multipart body, the parts
// before the file (at most one thumbnail of media.MaxClientThumbnail bytes);
// the file itself is left in body for the node to stream.
func parseUpload(r *http.Request, body io.Reader) (upload, error) {
	var up upload
	q := r.URL.Query()
	var err error
	switch {
	case q.Has("group") && q.Has("to"):
		return up, fmt.Errorf("%w: give to or group, not both", errBadRequest)
	case q.Has("group"):
		up.group = true
		if up.gid, err = core.ParseGroupID(q.Get("group")); err != nil {
			return up, fmt.Errorf("group: %w: %v", errBadRequest, err)
		}
	default:
		if up.to, err = core.ParseAccountID(q.Get("to")); err != nil {
			return up, fmt.Errorf("to: %w", err)
		}
	}
	up.f = media.File{Name: q.Get("name"), MIME: q.Get("mime"), Caption: q.Get("caption")}
	if up.f.ReplyTo, err = replyToQuery(q); err != nil {
		return up, err
	}
	up.file = body
	mt, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt != "multipart/form-data" {
		return up, nil
	}
	if params["boundary"] == "" {
		return up, fmt.Errorf("%w: multipart body without a boundary", errBadRequest)
	}
	mr := multipart.NewReader(body, params["boundary"])
	up.file = nil
	for up.file == nil {
		part, err := mr.NextPart()
		if err != nil {
			return up, fmt.Errorf("%w: no file part (%v)", errBadRequest, err)
		}
		switch part.FormName() {
		case "thumbnail":
			if up.f.Thumbnail != nil {
				return up, fmt.Errorf("%w: more than one thumbnail part", errBadRequest)
			}
			if up.f.Thumbnail, err = io.ReadAll(io.LimitReader(part, media.MaxClientThumbnail+1)); err != nil {
				return up, fmt.Errorf("thumbnail: %w: %v", errBadRequest, err)
			}
			if len(up.f.Thumbnail) > media.MaxClientThumbnail {
				return up, fmt.Errorf("thumbnail: %w: over %d bytes", errBodyTooLarge, media.MaxClientThumbnail)
			}
		case "file":
			up.file = part
			if up.f.Name == "" {
				up.f.Name = part.FileName()
			}
			if up.f.MIME == "" && part.Header.Get("Content-Type") != "application/octet-stream" {
				up.f.MIME, _, _ = mime.ParseMediaType(part.Header.Get("Content-Type"))
			}
		default:
			return up, fmt.Errorf("%w: unknown part %q", errBadRequest, part.FormName())
		}
	}
	return up, nil
}

func (s *Server) handleMedia(w http.ResponseWriter, r *http.Request) {
	id, err := pathMessageID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	mi, err := s.node.Media().Info(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, s.mediaOut(r, mi, s.loadNames(r.Context())))
}

// handleMediaContent fetches the file if needed and streams it (a range:
// the blocks that hold it, while the rest downloads behind). Errors
// found before the first byte are JSON errors; one after it (the file
// failed a check at its end) cuts the connection, so the client sees a
// body shorter than Content-Length.
func (s *Server) handleMediaContent(w http.ResponseWriter, r *http.Request) {
	id, err := pathMessageID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	mi, err := s.node.Media().Info(r.Context(), id)
	spec := r.Header.Get("Range")
	if err == nil && (spec == "" || mi.Size == 0) {
		err = s.node.Media().Fetch(r.Context(), id) // a range fetches what it needs
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ct := mi.MIME
	if ct == "" {
		ct = "application/octet-stream"
	}
	w.Header().Set("Content-Type", ct)
	w.Header().Set("Accept-Ranges", "bytes")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	if mi.Name != "" {
		w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": mi.Name}))
	}
	if spec != "" && mi.Size > 0 {
		off, length, ok := parseRange(spec, mi.Size)
		if !ok {
			w.Header().Set("Content-Range", fmt.Sprintf("bytes */%d", mi.Size))
			writeError(w, http.StatusRequestedRangeNotSatisfiable, CodeBadRequest, "range not satisfiable: want one range bytes=FIRST-[LAST] or bytes=-SUFFIX within the file")
			return
		}
		w.Header().Set("Content-Range", fmt.Sprintf("bytes %d-%d/%d", off, off+length-1, mi.Size))
		w.Header().Set("Content-Length", strconv.FormatUint(length, 10))
		w.WriteHeader(http.StatusPartialContent)
		if err := s.node.Media().WriteRange(r.Context(), id, off, length, w); err != nil {
			if r.Context().Err() == nil {
				s.logger.Warn("media range cut off", "id", id, "err", err)
			}
			panic(http.ErrAbortHandler)
		}
		return
	}
	w.Header().Set("Content-Length", strconv.FormatUint(mi.Size, 10))
	w.WriteHeader(http.StatusOK)
	if err := s.node.Media().Write(r.Context(), id, w); err != nil {
		if r.Context().Err() == nil {
			s.logger.Warn("media download cut off", "id", id, "err", err)
		}
		panic(http.ErrAbortHandler)
	}
}

// parseRange reads a Range header of one byte range (RFC 9110:
// bytes=FIRST-LAST, bytes=FIRST-, or bytes=-SUFFIX) against a file of size
// bytes, and returns the range clipped to the file. Several ranges, other
// units or a range that starts past the end are not satisfiable.
func parseRange(spec string, size uint64) (off, length uint64, ok bool) {
	spec, found := strings.CutPrefix(spec, "bytes=")
	if !found || strings.Contains(spec, ",") {
		return 0, 0, false
	}
	first, last, found := strings.Cut(strings.TrimSpace(spec), "-")
	if !found {
		return 0, 0, false
	}
	if first == "" { // the last N bytes
		n, err := strconv.ParseUint(last, 10, 64)
		if err != nil || n == 0 {
			return 0, 0, false
		}
		n = min(n, size)
		return size - n, n, true
	}
	a, err := strconv.ParseUint(first, 10, 64)
	if err != nil || a >= size {
		return 0, 0, false
	}
	b := size - 1
	if last != "" {
		if b, err = strconv.ParseUint(last, 10, 64); err != nil || b < a {
			return 0, 0, false
		}
		b = min(b, size-1)
	}
	return a, b - a + 1, true
}

func (s *Server) handleThumbnail(w http.ResponseWriter, r *http.Request) {
	id, err := pathMessageID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	mi, err := s.node.Media().Info(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if mi.Thumbnail == nil {
		writeError(w, http.StatusNotFound, CodeNotFound, "attachment has no thumbnail")
		return
	}
	w.Header().Set("Content-Type", mi.Thumbnail.MIME)
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Write(mi.Thumbnail.Data)
}

// handleFetchMedia starts a download and answers at once; media.Progress
// and media_state events report on it.
func (s *Server) handleFetchMedia(w http.ResponseWriter, r *http.Request) {
	id, err := pathMessageID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var req FetchRequest
	if err := decodeBody(w, r, &req, true); err != nil {
		s.fail(w, r, err)
		return
	}
	for _, p := range req.Providers {
		if _, err := peer.Decode(p); err != nil {
			s.fail(w, r, fmt.Errorf("fetch media: %w: provider %q", errBadRequest, p))
			return
		}
	}
	if err := s.node.Media().StartFetch(r.Context(), id, req.Providers...); err != nil {
		s.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusAccepted)
}

func (s *Server) handleForwardMedia(w http.ResponseWriter, r *http.Request) {
	id, err := pathMessageID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var req ForwardRequest
	if err := decodeBody(w, r, &req, false); err != nil {
		s.fail(w, r, err)
		return
	}
	to, err := core.ParseAccountID(req.To)
	if err != nil {
		s.fail(w, r, fmt.Errorf("forward media: to: %w", err))
		return
	}
	nid, err := s.node.Media().Forward(r.Context(), id, to)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Location", "/v1/media/"+nid.String())
	writeJSON(w, http.StatusCreated, SendResponse{ID: nid.String()})
}

func (s *Server) handleDeleteMedia(w http.ResponseWriter, r *http.Request) {
	id, err := pathMessageID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.node.Media().Delete(r.Context(), id); err != nil {
		s.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) handleMediaList(w http.ResponseWriter, r *http.Request) {
	var chat core.Chat
	var err error
	if r.PathValue("group") != "" {
		chat.Group, err = pathGroup(r)
	} else {
		chat.Account, err = pathAccount(r)
	}
	if err != nil {
		s.fail(w, r, fmt.Errorf("media list: %w", err))
		return
	}
	before, limit, err := pageOf(r)
	if err != nil {
		s.fail(w, r, fmt.Errorf("media list: %w", err))
		return
	}
	ms, err := s.node.Media().List(r.Context(), chat, before, limit)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	nm := s.loadNames(r.Context())
	out := make([]Media, len(ms))
	for i, m := range ms {
		out[i] = s.mediaOut(r, m, nm)
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) handleGetAutoDownload(w http.ResponseWriter, r *http.Request) {
	n, err := s.node.Media().AutoDownload(r.Context(), core.Chat{})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, AutoDownload{MaxBytes: n})
}

func (s *Server) handleSetAutoDownload(w http.ResponseWriter, r *http.Request) {
	var chat core.Chat
	if r.PathValue("account") != "" {
		var err error
		if chat.Account, err = pathAccount(r); err != nil {
			s.fail(w, r, fmt.Errorf("auto-download: %w", err))
			return
		}
	}
	var req AutoDownload
	if err := decodeBody(w, r, &req, false); err != nil {
		s.fail(w, r, err)
		return
	}
	if req.MaxBytes < 0 && chat == (core.Chat{}) {
		s.fail(w, r, fmt.Errorf("auto-download: %w: max_bytes must not be negative", errBadRequest))
		return
	}
	if err := s.node.Media().SetAutoDownload(r.Context(), chat, req.MaxBytes); err != nil {
		s.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
