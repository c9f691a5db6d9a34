package localapi

import (
	"errors"
	"net"
	"net/http"

	"github.com/pigeon-net/pigeon/node"
	"github.com/pigeon-net/pigeon/node/contacts"
	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/devices"
	"github.com/pigeon-net/pigeon/node/expiry"
	"github.com/pigeon-net/pigeon/node/groups"
	"github.com/pigeon-net/pigeon/node/media"
	"github.com/pigeon-net/pigeon/node/profiles"
	"github.com/pigeon-net/pigeon/node/relays"
	"github.com/pigeon-net/pigeon/node/replies"
	"github.com/pigeon-net/pigeon/node/search"
	"github.com/pigeon-net/pigeon/protocol/group"
	"github.com/pigeon-net/pigeon/protocol/identity"
	"github.com/pigeon-net/pigeon/protocol/link"
	pmedia "github.com/pigeon-net/pigeon/protocol/media"
	"github.com/pigeon-net/pigeon/storage"
)

var (
	// ErrNotLoopback is returned by Serve for a listener that is not on a
	// loopback address (or a Unix socket).
	ErrNotLoopback = errors.New("localapi: refusing to listen on a non-loopback address")
	// ErrTokenPermissions is returned for a token file that group or others
	// can read or write.
	ErrTokenPermissions = errors.New("localapi: API token file is accessible by group or others")
	// ErrBadToken is returned for a token file that does not hold a token.
	ErrBadToken = errors.New("localapi: API token file is malformed")
)

// Request errors; classify maps them to 400 and 413.
var (
	errBadRequest   = errors.New("bad request")
	errBodyTooLarge = errors.New("request too large")
)

// classify maps an error to an HTTP status and error code.
func classify(err error) (status int, code string) {
	if status, code, ok := classifyAction(err); ok {
		return status, code
	}
	if status, code, ok := classifyBackup(err); ok {
		return status, code
	}
	switch {
	case errors.Is(err, errBadRequest),
		errors.Is(err, identity.ErrMalformedID),
		errors.Is(err, identity.ErrBadChecksum),
		errors.Is(err, node.ErrEmpty),
		errors.Is(err, node.ErrSelf),
		errors.Is(err, relays.ErrBadAddress),
		errors.Is(err, node.ErrBadSetting),
		errors.Is(err, relays.ErrBadSetting),
		errors.Is(err, group.ErrMalformed),
		search.IsBadQuery(err),
		errors.Is(err, profiles.ErrBadName), errors.Is(err, profiles.ErrNoName),
		errors.Is(err, replies.ErrNotInChat):
		return http.StatusBadRequest, CodeBadRequest
	case errors.Is(err, profiles.ErrBadAvatar):
		return http.StatusBadRequest, CodeBadRequest
	case errors.Is(err, contacts.ErrBlocked):
		return http.StatusForbidden, CodeForbidden
	case errors.Is(err, contacts.ErrRequestPending):
		return http.StatusConflict, CodeConflict
	case errors.Is(err, errBodyTooLarge), errors.Is(err, node.ErrTooLarge), errors.Is(err, core.ErrTooLarge):
		return http.StatusRequestEntityTooLarge, CodeTooLarge
	case errors.Is(err, pmedia.ErrBadManifest):
		return http.StatusBadRequest, CodeBadRequest
	case errors.Is(err, pmedia.ErrBadBlock), errors.Is(err, pmedia.ErrDigest), errors.Is(err, pmedia.ErrDecrypt),
		errors.Is(err, pmedia.ErrSize):
		return http.StatusBadGateway, CodeBadMedia
	case errors.Is(err, pmedia.ErrNotFound), errors.Is(err, pmedia.ErrNoProviders), errors.Is(err, pmedia.ErrUnavailable):
		return http.StatusBadGateway, CodeMediaUnavailable
	case errors.Is(err, storage.ErrNotFound), errors.Is(err, node.ErrUnknownAccount), errors.Is(err, relays.ErrUnknownRelay),
		errors.Is(err, media.ErrNoMedia), errors.Is(err, groups.ErrUnknownGroup):
		return http.StatusNotFound, CodeNotFound
	case errors.Is(err, core.ErrNoAccountKey):
		return http.StatusForbidden, CodeNoAccountKey
	case errors.Is(err, devices.ErrUnknownDevice):
		return http.StatusNotFound, CodeUnknownDevice
	case errors.Is(err, devices.ErrThisDevice):
		return http.StatusConflict, CodeThisDevice
	case errors.Is(err, devices.ErrNoRequest), errors.Is(err, devices.ErrNoCode):
		return http.StatusNotFound, CodeNotFound
	case errors.Is(err, link.ErrMalformed), errors.Is(err, link.ErrTooLarge):
		return http.StatusBadRequest, CodeBadRequest
	case errors.Is(err, groups.ErrNotAllowed), errors.Is(err, groups.ErrNotMember), errors.Is(err, expiry.ErrNotAllowed):
		return http.StatusForbidden, CodeForbidden
	case errors.Is(err, groups.ErrInviteRefused):
		return http.StatusForbidden, CodeInviteRefused
	case errors.Is(err, groups.ErrUnreachable):
		return http.StatusGatewayTimeout, CodeUnreachable
	case errors.Is(err, node.ErrIdentityUnverified), errors.Is(err, media.ErrDownloading):
		return http.StatusConflict, CodeConflict
	case errors.Is(err, storage.ErrStorageFull):
		return http.StatusInsufficientStorage, CodeStorageFull
	case errors.Is(err, node.ErrClosed), errors.Is(err, net.ErrClosed),
		errors.Is(err, node.ErrNotStarted), errors.Is(err, storage.ErrClosed):
		return http.StatusServiceUnavailable, CodeUnavailable
	}
	return http.StatusInternalServerError, CodeInternal
}
