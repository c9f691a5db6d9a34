package node

import (
	"crypto/rand"
	"errors"
	"fmt"
	"time"
	"unicode/utf8"

	"google.golang.org/protobuf/proto"

	"github.com/pigeon-net/pigeon/protocol/media"
	"github.com/pigeon-net/pigeon/protocol/pb"
	"github.com/pigeon-net/pigeon/storage"
)

// Content limits.
const (
	maxContentSize  = MaxTextSize + 4096
	maxReceiptIDs   = 1024
	contentPadBlock = 32
)

var errBadContent = errors.New("malformed content")

// encodeContent marshals c with random padding that rounds the size up to a
// multiple of contentPadBlock, hiding exact lengths.
func encodeContent(c *pb.Content) ([]byte, error) {
	c.Padding = nil
	size := proto.Size(c) + 2 // tag and length of the padding field
	pad := (contentPadBlock - size%contentPadBlock) % contentPadBlock
	if pad == 0 {
		pad = contentPadBlock // an empty field would not be encoded at all
	}
	c.Padding = make([]byte, pad)
	if _, err := rand.Read(c.Padding); err != nil {
		return nil, err
	}
	return proto.Marshal(c)
}

// decodeContent decodes and checks the plaintext of an envelope.
func decodeContent(b []byte) (*pb.Content, error) {
	if len(b) > maxContentSize {
		return nil, fmt.Errorf("%w: %d bytes", errBadContent, len(b))
	}
	var c pb.Content
	if err := proto.Unmarshal(b, &c); err != nil {
		return nil, fmt.Errorf("%w: %v", errBadContent, err)
	}
	if len(c.MessageId) != len(storage.MessageID{}) {
		return nil, fmt.Errorf("%w: message id", errBadContent)
	}
	switch body := c.Body.(type) {
	case *pb.Content_Text:
		if body.Text == nil || body.Text.Body == "" || len(body.Text.Body) > MaxTextSize || !utf8.ValidString(body.Text.Body) {
			return nil, fmt.Errorf("%w: text", errBadContent)
		}
	case *pb.Content_Receipt:
		if body.Receipt == nil || len(body.Receipt.MessageIds) == 0 || len(body.Receipt.MessageIds) > maxReceiptIDs {
			return nil, fmt.Errorf("%w: receipt", errBadContent)
		}
		for _, id := range body.Receipt.MessageIds {
			if len(id) != len(storage.MessageID{}) {
				return nil, fmt.Errorf("%w: receipt id", errBadContent)
			}
		}
		if _, ok := pb.Receipt_Type_name[int32(body.Receipt.Type)]; !ok {
			return nil, fmt.Errorf("%w: receipt type", errBadContent)
		}
	case *pb.Content_Typing:
		if body.Typing == nil {
			return nil, fmt.Errorf("%w: typing", errBadContent)
		}
	case *pb.Content_Group:
		if err := checkGroupControl(body.Group); err != nil {
			return nil, err
		}
	case *pb.Content_Media:
		if err := media.CheckManifest(body.Media); err != nil {
			return nil, fmt.Errorf("%w: %v", errBadContent, err)
		}
	default:
		return nil, fmt.Errorf("%w: unknown body", errBadContent)
	}
	return &c, nil
}

func textContent(id storage.MessageID, at time.Time, text string) *pb.Content {
	return &pb.Content{MessageId: id[:], SentAtMs: at.UnixMilli(), Body: &pb.Content_Text{Text: &pb.Text{Body: text}}}
}

func receiptContent(id storage.MessageID, at time.Time, typ pb.Receipt_Type, ids []storage.MessageID) *pb.Content {
	r := &pb.Receipt{Type: typ}
	for _, m := range ids {
		r.MessageIds = append(r.MessageIds, m[:])
	}
	return &pb.Content{MessageId: id[:], SentAtMs: at.UnixMilli(), Body: &pb.Content_Receipt{Receipt: r}}
}
