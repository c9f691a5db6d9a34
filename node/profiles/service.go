package profiles

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/internal/rt"
	"github.com/pigeon-net/pigeon/protocol/pb"
	"github.com/pigeon-net/pigeon/storage"
)

// OpSelf (pb.OpProfileSelf) is the account's own profile as one device
// set it. Every device keeps the highest version (see the package doc).
const OpSelf = "profiles.self"

// Profile is an account's profile as held here.
type Profile struct {
	Account core.AccountID
	Name    string
	Avatar  []byte // JPEG or PNG; nil for none
	// AvatarType is the avatar's MIME type, "" for none.
	AvatarType string
	Version    uint64
}

func profileOf(a core.AccountID, p *pb.Profile) Profile {
	out := Profile{Account: a, Name: p.Name, Version: p.Version}
	if len(p.Avatar) > 0 {
		out.Avatar = p.Avatar
		out.AvatarType, _ = AvatarType(p.Avatar)
	}
	return out
}

// Changed is published when the profile held for an account changed
// (ours, set on any of our devices, or one a contact or group member
// sent).
type Changed struct {
	Account   core.AccountID
	Name      string
	HasAvatar bool
	Version   uint64
}

func (Changed) EventName() string { return "profile_changed" }

// Service is a node's profiles (n.Profiles()).
type Service struct {
	d Deps

	mu       sync.Mutex // guards accounts, groups, all
	accounts map[core.AccountID]bool
	groups   map[core.GroupID]bool // true: send even if sent before (a member joined)
	all      bool
	wake     chan struct{} // cap 1
}

// New returns the profiles feature and claims the profile content kinds
// and operation; it does no I/O (node calls this).
func New(d Deps) (*Service, error) {
	if d.Store == nil || d.Ops == nil || d.Enqueue == nil || d.Pairwise == nil || d.Groups == nil ||
		d.Quiet == nil || d.Registry == nil || d.Publish == nil || d.Ready == nil || d.Log == nil {
		return nil, errors.New("profiles: incomplete deps")
	}
	s := &Service{d: d, accounts: make(map[core.AccountID]bool), groups: make(map[core.GroupID]bool), wake: make(chan struct{}, 1)}
	d.Registry.HandleContent(rt.KindProfile, nil, s.takeProfile)
	d.Registry.HandleGroupContent(rt.GroupKindProfile, s.takeGroupProfile)
	d.Ops.HandleOp(OpSelf, s.foldSelf)
	d.Ops.HandleState("profiles", s.digest)
	return s, nil
}

func (s *Service) ready() error {
	if s == nil {
		return core.ErrNotStarted
	}
	return s.d.Ready()
}

// held returns the profile stored for a, nil when none (or unreadable).
func (s *Service) held(ctx context.Context, a core.AccountID) (*pb.Profile, error) {
	b, err := s.d.Store.Profile(ctx, storage.Account(a))
	if errors.Is(err, storage.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	p, err := decode(b)
	if err != nil {
		s.d.Log.Warn("stored profile does not decode", "account", a.Short(), "err", err)
		return nil, nil
	}
	return p, nil
}

// Own returns our profile (storage.ErrNotFound: never set).
func (s *Service) Own(ctx context.Context) (Profile, error) {
	return s.Get(ctx, s.d.Self)
}

// Get returns the profile held for account (storage.ErrNotFound: none).
func (s *Service) Get(ctx context.Context, account core.AccountID) (Profile, error) {
	if err := s.ready(); err != nil {
		return Profile{}, fmt.Errorf("profile: %w", err)
	}
	p, err := s.held(ctx, account)
	if err != nil {
		return Profile{}, fmt.Errorf("profile: %w", err)
	}
	if p == nil {
		return Profile{}, fmt.Errorf("profile: %w: none for %s", storage.ErrNotFound, account.Short())
	}
	return profileOf(account, p), nil
}

// List returns every profile held (avatars left out), ours included.
func (s *Service) List(ctx context.Context) ([]Profile, error) {
	if err := s.ready(); err != nil {
		return nil, fmt.Errorf("profiles: %w", err)
	}
	var out []Profile
	err := s.d.Store.Profiles(ctx, func(a storage.Account, rec []byte) error {
		if p, err := decode(rec); err == nil {
			pr := profileOf(core.AccountID(a), p)
			pr.Avatar = nil
			out = append(out, pr)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("profiles: %w", err)
	}
	return out, nil
}

// SetName sets our display name (trimmed; 1–64 characters).
func (s *Service) SetName(ctx context.Context, name string) error {
	name, err := CheckName(name)
	if err != nil {
		return fmt.Errorf("set profile name: %w", err)
	}
	return s.change(ctx, "set profile name", func(p *pb.Profile) error { p.Name = name; return nil })
}

// SetAvatar sets our avatar (a JPEG or PNG, see MaxAvatarSize). A
// profile needs a name first.
func (s *Service) SetAvatar(ctx context.Context, img []byte) error {
	if _, err := AvatarType(img); err != nil {
		return fmt.Errorf("set avatar: %w", err)
	}
	return s.change(ctx, "set avatar", func(p *pb.Profile) error { p.Avatar = img; return nil })
}

// ClearAvatar removes our avatar.
func (s *Service) ClearAvatar(ctx context.Context) error {
	return s.change(ctx, "clear avatar", func(p *pb.Profile) error { p.Avatar = nil; return nil })
}

// ErrNoName refuses an avatar before a name.
var ErrNoName = errors.New("set a display name first")

// change changes our profile in one transaction with the operation for
// our other devices, then shares it with every contact and group.
func (s *Service) change(ctx context.Context, op string, edit func(*pb.Profile) error) error {
	if err := s.ready(); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	var (
		p     *pb.Profile
		items []storage.OutboxItem
	)
	err := s.d.Store.Update(ctx, func(ctx context.Context) error {
		held, err := s.held(ctx, s.d.Self)
		if err != nil {
			return err
		}
		p = &pb.Profile{Version: uint64(time.Now().UnixMilli())}
		if held != nil {
			p.Name, p.Avatar, p.Version = held.Name, held.Avatar, max(p.Version, held.Version+1)
		}
		if err := edit(p); err != nil {
			return err
		}
		if p.Name == "" {
			return ErrNoName
		}
		if err := check(p); err != nil {
			return err
		}
		rec, err := proto.Marshal(p)
		if err != nil {
			return err
		}
		if err := s.d.Store.PutProfile(ctx, storage.Account(s.d.Self), rec); err != nil {
			return err
		}
		body, err := proto.Marshal(&pb.OpProfileSelf{Profile: p})
		if err != nil {
			return err
		}
		_, items, err = s.d.Ops.Append(ctx, OpSelf, body)
		return err
	})
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	for _, it := range items {
		s.d.Enqueue(it)
	}
	s.d.Publish(changedOf(s.d.Self, p))
	s.ShareAll()
	return nil
}

func changedOf(a core.AccountID, p *pb.Profile) Changed {
	return Changed{Account: a, Name: p.Name, HasAvatar: len(p.Avatar) > 0, Version: p.Version}
}

// keep stores p as a's profile when it is newer than the one held, in
// ctx's transaction; it returns the event to publish (nil: kept the old).
func (s *Service) keep(ctx context.Context, a core.AccountID, p *pb.Profile) (func(context.Context), error) {
	held, err := s.held(ctx, a)
	if err != nil || !newer(p, held) {
		return nil, err
	}
	rec, err := proto.Marshal(p)
	if err != nil {
		return nil, err
	}
	if err := s.d.Store.PutProfile(ctx, storage.Account(a), rec); err != nil {
		return nil, err
	}
	ev := changedOf(a, p)
	return func(context.Context) { s.d.Publish(ev) }, nil
}

// takeProfile keeps a profile a contact (or any account writing to us)
// sent.
func (s *Service) takeProfile(ctx context.Context, in rt.Incoming) (rt.Result, error) {
	p := in.Content.GetProfile()
	if err := check(p); err != nil {
		return rt.Result{}, fmt.Errorf("%w: profile: %v", rt.ErrBadContent, err)
	}
	from := rt.CoreAccount(in.From.Account)
	if from == s.d.Self {
		return rt.Result{}, nil // ours comes through the account log
	}
	after, err := s.keep(ctx, from, p)
	return rt.Result{After: after}, err
}

// takeGroupProfile keeps a profile a group member published.
func (s *Service) takeGroupProfile(ctx context.Context, in rt.GroupIncoming) (rt.Result, error) {
	p := in.Content.GetProfile()
	if err := check(p); err != nil {
		return rt.Result{}, fmt.Errorf("%w: profile: %v", rt.ErrBadContent, err)
	}
	from := rt.CoreAccount(in.From.Account)
	if from == s.d.Self {
		return rt.Result{}, nil
	}
	after, err := s.keep(ctx, from, p)
	return rt.Result{After: after}, err
}

// foldSelf keeps our profile as another device of ours set it.
func (s *Service) foldSelf(ctx context.Context, op rt.Op) (func(context.Context), error) {
	var body pb.OpProfileSelf
	if err := proto.Unmarshal(op.Body, &body); err != nil {
		return nil, fmt.Errorf("%w: %s: %v", rt.ErrBadContent, OpSelf, err)
	}
	if err := check(body.Profile); err != nil {
		return nil, fmt.Errorf("%w: %s: %v", rt.ErrBadContent, OpSelf, err)
	}
	return s.keep(ctx, s.d.Self, body.Profile)
}

// digest writes our profile for the account's state hash.
func (s *Service) digest(ctx context.Context, w io.Writer) error {
	p, err := s.held(ctx, s.d.Self)
	if err != nil || p == nil {
		return err
	}
	fmt.Fprintf(w, "%q %x %d\n", p.Name, sha256.Sum256(p.Avatar), p.Version)
	return nil
}

// Share queues our profile for account (a contact added, an account we
// write to first); it goes unless it went there already, or the account
// is blocked or its message request is pending.
func (s *Service) Share(a core.AccountID) {
	if s == nil || a == s.d.Self {
		return
	}
	s.mu.Lock()
	s.accounts[a] = true
	s.mu.Unlock()
	s.signal()
}

// ShareGroup queues our profile for group id: we created or joined it
// (again: false, sent once per version), or a member joined (again: sent
// even if it went before).
func (s *Service) ShareGroup(id core.GroupID, again bool) {
	if s == nil {
		return
	}
	s.mu.Lock()
	s.groups[id] = s.groups[id] || again
	s.mu.Unlock()
	s.signal()
}

// ShareAll queues our profile for every contact and group.
func (s *Service) ShareAll() {
	s.mu.Lock()
	s.all = true
	s.mu.Unlock()
	s.signal()
}

func (s *Service) signal() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// Run sends what Share, ShareGroup and ShareAll queued until ctx ends
// (node runs it). A profile that could not be queued is tried at the next
// change.
func (s *Service) Run(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-s.wake:
		}
		s.mu.Lock()
		accounts, groups, all := s.accounts, s.groups, s.all
		s.accounts, s.groups, s.all = make(map[core.AccountID]bool), make(map[core.GroupID]bool), false
		s.mu.Unlock()
		if all {
			if cs, err := s.d.Store.Contacts(ctx); err == nil {
				for _, c := range cs {
					accounts[core.AccountID(c.Account)] = true
				}
			}
			if gs, err := s.d.Groups.Joined(ctx); err == nil {
				for _, g := range gs {
					if _, ok := groups[g]; !ok {
						groups[g] = false
					}
				}
			}
		}
		p, err := s.held(ctx, s.d.Self)
		if err != nil || p == nil {
			continue
		}
		for a := range accounts {
			if err := s.sendTo(ctx, a, p); err != nil && ctx.Err() == nil {
				s.d.Log.Warn("share profile", "account", a.Short(), "err", err)
			}
		}
		for g, again := range groups {
			if err := s.sendGroup(ctx, g, p, again); err != nil && ctx.Err() == nil {
				s.d.Log.Debug("share profile with group", "group", g.Short(), "err", err)
			}
		}
	}
}

func sentKey(kind string, id []byte) string { return "profiles.sent/" + kind + "/" + string(id) }

// sent reports whether version v went to what key names.
func (s *Service) sent(ctx context.Context, key string, v uint64) bool {
	b, err := s.d.Ops.FoldState(ctx, key)
	return err == nil && len(b) == 8 && binary.BigEndian.Uint64(b) >= v
}

func (s *Service) markSent(ctx context.Context, key string, v uint64) error {
	return s.d.Store.Update(ctx, func(ctx context.Context) error {
		return s.d.Ops.PutFoldState(ctx, key, binary.BigEndian.AppendUint64(nil, v))
	})
}

func (s *Service) sendTo(ctx context.Context, a core.AccountID, p *pb.Profile) error {
	key := sentKey("a", a[:])
	if s.sent(ctx, key, p.Version) {
		return nil
	}
	if quiet, err := s.d.Quiet(ctx, a); err != nil || quiet {
		return err
	}
	if err := s.d.Pairwise.QueuePairwise(ctx, a, &pb.Content{Body: &pb.Content_Profile{Profile: p}}); err != nil {
		return err
	}
	return s.markSent(ctx, key, p.Version)
}

func (s *Service) sendGroup(ctx context.Context, g core.GroupID, p *pb.Profile, again bool) error {
	key := sentKey("g", g[:])
	if !again && s.sent(ctx, key, p.Version) {
		return nil
	}
	if err := s.d.Groups.PublishContent(ctx, g, &pb.GroupContent{Body: &pb.GroupContent_Profile{Profile: p}}); err != nil {
		return err
	}
	return s.markSent(ctx, key, p.Version)
}
