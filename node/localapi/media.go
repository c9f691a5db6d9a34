package localapi

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/pigeon-net/pigeon/node"
	"github.com/pigeon-net/pigeon/protocol/group"
	"github.com/pigeon-net/pigeon/protocol/identity"
	"github.com/pigeon-net/pigeon/protocol/media"
	"github.com/pigeon-net/pigeon/storage"
)

// Media is an attachment (GET /v1/media/{id}, and the "media" field of a
// Message that carries one).
type Media struct {
	ID        string    `json:"id"`              // the message's
	Peer      string    `json:"peer,omitempty"`  // the chat: an account,
	Group     string    `json:"group,omitempty"` // or a group
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

func mediaJSON(mi node.MediaInfo) Media {
	m := Media{
		ID: mi.ID.String(), Direction: mi.Direction.String(), State: mi.State.String(),
		Error: mi.Error, Size: mi.Size, Name: mi.Name, MIME: mi.MIME, Caption: mi.Caption,
		Width: mi.Width, Height: mi.Height, Thumbnail: mi.Thumbnail != nil, Root: mi.Root, CreatedAt: mi.CreatedAt,
	}
	if mi.Group {
		m.Group = group.ID(mi.Peer).String()
	} else {
		m.Peer = mi.Peer.String()
	}
	if !mi.RetryUntil.IsZero() {
		m.RetryUntil = mi.RetryUntil.UTC().Format(time.RFC3339)
	}
	return m
}

// withMedia adds the attachment of a message, if it has one.
func (s *Server) withMedia(r *http.Request, m Message) Message {
	id, err := storage.ParseMessageID(m.ID)
	if err != nil {
		return m
	}
	if mi, err := s.node.Media(r.Context(), id); err == nil {
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

func pathMessageID(r *http.Request) (storage.MessageID, error) {
	id, err := storage.ParseMessageID(r.PathValue("id"))
	if err != nil {
		return id, fmt.Errorf("%w: %v", errBadRequest, err)
	}
	return id, nil
}

// handleSendMedia streams the request body (raw, or the "file" part of a
// multipart form after an optional "thumbnail" part) into the node, which
// encrypts and stores it as it arrives.
func (s *Server) handleSendMedia(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	var to identity.AccountID
	var gid group.ID
	var err error
	switch {
	case q.Has("group") && q.Has("to"):
		err = fmt.Errorf("%w: give to or group, not both", errBadRequest)
	case q.Has("group"):
		if gid, err = group.ParseID(q.Get("group")); err != nil {
			err = fmt.Errorf("group: %w: %v", errBadRequest, err)
		}
	default:
		if to, err = identity.ParseAccountID(q.Get("to")); err != nil {
			err = fmt.Errorf("to: %w", err)
		}
	}
	if err != nil {
		s.fail(w, r, fmt.Errorf("send media: %w", err))
		return
	}
	f := node.MediaFile{Name: q.Get("name"), MIME: q.Get("mime"), Caption: q.Get("caption")}
	body := http.MaxBytesReader(w, r.Body, media.MaxFileSize+1)
	var file io.Reader = body
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt == "multipart/form-data" {
		mr, err := r.MultipartReader()
		if err != nil {
			s.fail(w, r, fmt.Errorf("send media: %w: %v", errBadRequest, err))
			return
		}
		file = nil
		for file == nil {
			part, err := mr.NextPart()
			if err != nil {
				s.fail(w, r, fmt.Errorf("send media: %w: no file part (%v)", errBadRequest, err))
				return
			}
			switch part.FormName() {
			case "thumbnail":
				if f.Thumbnail, err = io.ReadAll(io.LimitReader(part, node.MaxClientThumbnail+1)); err != nil {
					s.fail(w, r, fmt.Errorf("send media: thumbnail: %w: %v", errBadRequest, err))
					return
				}
			case "file":
				file = part
				if f.Name == "" {
					f.Name = part.FileName()
				}
				if f.MIME == "" && part.Header.Get("Content-Type") != "application/octet-stream" {
					f.MIME, _, _ = mime.ParseMediaType(part.Header.Get("Content-Type"))
				}
			default:
				s.fail(w, r, fmt.Errorf("send media: %w: unknown part %q", errBadRequest, part.FormName()))
				return
			}
		}
	}
	var id storage.MessageID
	if q.Has("group") {
		id, err = s.node.SendGroupMedia(r.Context(), gid, file, f)
	} else {
		id, err = s.node.SendMedia(r.Context(), to, file, f)
	}
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			err = fmt.Errorf("send media: %w: file over %d bytes", errBodyTooLarge, int64(media.MaxFileSize))
		}
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Location", "/v1/media/"+id.String())
	writeJSON(w, http.StatusCreated, SendResponse{ID: id.String()})
}

func (s *Server) handleMedia(w http.ResponseWriter, r *http.Request) {
	id, err := pathMessageID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	mi, err := s.node.Media(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, mediaJSON(mi))
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
	mi, err := s.node.Media(r.Context(), id)
	spec := r.Header.Get("Range")
	if err == nil && (spec == "" || mi.Size == 0) {
		err = s.node.FetchMedia(r.Context(), id) // a range fetches what it needs
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
		if err := s.node.WriteMediaRange(r.Context(), id, off, length, w); err != nil {
			if r.Context().Err() == nil {
				s.logger.Warn("media range cut off", "id", id, "err", err)
			}
			panic(http.ErrAbortHandler)
		}
		return
	}
	w.Header().Set("Content-Length", strconv.FormatUint(mi.Size, 10))
	w.WriteHeader(http.StatusOK)
	if err := s.node.WriteMedia(r.Context(), id, w); err != nil {
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
	mi, err := s.node.Media(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if mi.Thumbnail == nil {
		writeError(w, http.StatusNotFound, CodeNotFound, "attachment has no thumbnail")
		return
	}
	w.Header().Set("Content-Type", mi.Thumbnail.MimeType)
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Write(mi.Thumbnail.Data)
}

// handleFetchMedia starts a download and answers at once; MediaProgress
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
	var extra []peer.ID
	for _, p := range req.Providers {
		pid, err := peer.Decode(p)
		if err != nil {
			s.fail(w, r, fmt.Errorf("fetch media: %w: provider %q", errBadRequest, p))
			return
		}
		extra = append(extra, pid)
	}
	if err := s.node.StartFetchMedia(r.Context(), id, extra...); err != nil {
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
	to, err := identity.ParseAccountID(req.To)
	if err != nil {
		s.fail(w, r, fmt.Errorf("forward media: to: %w", err))
		return
	}
	nid, err := s.node.ForwardMedia(r.Context(), id, to)
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
	if err := s.node.DeleteMedia(r.Context(), id); err != nil {
		s.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) handleMediaList(w http.ResponseWriter, r *http.Request) {
	var peer identity.AccountID
	var err error
	if r.PathValue("group") != "" {
		var gid group.ID
		gid, err = pathGroup(r)
		peer = identity.AccountID(gid)
	} else {
		peer, err = pathAccount(r)
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
	ms, err := s.node.MediaList(r.Context(), peer, before, limit)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := make([]Media, len(ms))
	for i, m := range ms {
		out[i] = mediaJSON(m)
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) handleGetAutoDownload(w http.ResponseWriter, r *http.Request) {
	n, err := s.node.AutoDownload(r.Context(), identity.AccountID{})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, AutoDownload{MaxBytes: n})
}

func (s *Server) handleSetAutoDownload(w http.ResponseWriter, r *http.Request) {
	var chat identity.AccountID
	if r.PathValue("account") != "" {
		var err error
		if chat, err = pathAccount(r); err != nil {
			s.fail(w, r, fmt.Errorf("auto-download: %w", err))
			return
		}
	}
	var req AutoDownload
	if err := decodeBody(w, r, &req, false); err != nil {
		s.fail(w, r, err)
		return
	}
	if req.MaxBytes < 0 && chat == (identity.AccountID{}) {
		s.fail(w, r, fmt.Errorf("auto-download: %w: max_bytes must not be negative", errBadRequest))
		return
	}
	if err := s.node.SetAutoDownload(r.Context(), chat, req.MaxBytes); err != nil {
		s.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
