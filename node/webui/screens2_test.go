package webui_test

import (
	"context"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/pigeon-net/pigeon/node"
	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/groups"
	"github.com/pigeon-net/pigeon/node/nodetest"
)

// Managing a group from its details: the owner renames it and changes its
// description, promotes a member to admin and removes another; a member
// leaves. Each change shows in the pages of the members (live, through
// the events) and in the nodes' view of the group.
func TestScreenGroupManagement(t *testing.T) {
	br := browser(t)
	nw := nodetest.New(t, 3)
	alice, bob, carol := nw.Nodes[0], nw.Nodes[1], nw.Nodes[2]
	befriend(t, nw.Nodes, []string{"Alice", "Bob", "Carol"})
	ctx := context.Background()
	bobID, carolID := bob.Info().Account, carol.Info().Account
	var gid core.GroupID
	nodetest.Eventually(t, 30*time.Second, func() bool {
		var err error
		// Only admins edit the name: Bob sees it as text until promoted.
		gid, err = alice.Groups().Create(ctx, "Climbing", "Saturday trips", groups.Settings{EditInfo: groups.Admins}, bobID, carolID)
		return err == nil
	}, "the group created")
	// sees polls n's view of the group until ok holds.
	sees := func(n *node.Node, what string, ok func(groups.Info) bool) {
		t.Helper()
		nodetest.Eventually(t, 30*time.Second, func() bool {
			info, err := n.Groups().Info(ctx, gid)
			return err == nil && ok(info)
		}, "%s", what)
	}
	roleOf := func(info groups.Info, a core.AccountID) groups.Role {
		for _, m := range info.Members {
			if m.Account == a {
				return m.Role
			}
		}
		return groups.RoleNone
	}
	active := func(info groups.Info) bool { return info.Status == groups.Active && len(info.Members) == 3 }
	sees(bob, "bob in the group", active)
	sees(carol, "carol in the group", active)

	details := "/group/" + gid.String() + "/info"
	pa := serveUI(t, alice).open(t, br, details)
	pb := serveUI(t, bob).open(t, br, details)
	pc := serveUI(t, carol).open(t, br, details)
	for _, p := range []*page{pa, pb, pc} {
		p.wait(`document.querySelectorAll('.drawer .members li').length === 3`, "the three members listed")
	}
	member := func(a core.AccountID) string {
		return `document.querySelector('.drawer .members li[data-account="` + a.String() + `"]')`
	}
	title := func(name string) string {
		return `[...document.querySelectorAll('header.bar h2')].some((h) => h.textContent === ` + js(name) + `)`
	}

	// Rename and describe: the owner's form, a member's text.
	replace := func(p *page, css, text string) {
		t.Helper()
		p.do(chromedp.Evaluate[chromedp.Void](`(() => { const el = document.querySelector(` + js(css) + `); el.focus(); el.select(); })()`))
		p.do(typeText(text))
	}
	pb.wait(`document.querySelector('.drawer h3')?.textContent === 'Climbing' && !document.querySelector('.drawer input[name="name"]')`, "the name as text for bob")
	replace(pa, `.drawer input[name="name"]`, "Bouldering")
	replace(pa, `.drawer textarea[name="description"]`, "Sundays at the wall")
	pa.click(`.drawer form button[type="submit"]`)
	pa.wait(title("Bouldering")+` && document.querySelector('.drawer input[name="name"]')?.value === 'Bouldering'`, "the new name in alice's page")
	pa.wait(`document.querySelector('a.chat-item[data-key="g:`+gid.String()+`"]')?.textContent.includes('Bouldering')`, "the new name in alice's chat list")
	for _, p := range []*page{pb, pc} {
		p.wait(title("Bouldering")+` && [...document.querySelectorAll('.drawer p')].some((e) => e.textContent === 'Sundays at the wall')`, "the new name and description at a member")
	}
	for _, n := range []*node.Node{alice, bob, carol} {
		sees(n, "the new name and description", func(info groups.Info) bool {
			return info.Name == "Bouldering" && info.Description == "Sundays at the wall"
		})
	}

	// Promote Bob: an admin edits the name, so he gets the form.
	pa.click(`button[aria-label="Make Bob an admin"]`)
	pa.wait(member(bobID)+`?.querySelector('.role')?.textContent === 'admin'`, "bob's role admin in alice's page")
	pb.wait(`[...document.querySelectorAll('.drawer p.muted')].some((e) => e.textContent === 'Your role: admin') && document.querySelector('.drawer input[name="name"]')?.value === 'Bouldering'`, "bob sees himself admin, with the form")
	pc.wait(member(bobID)+`?.querySelector('.role')?.textContent === 'admin'`, "bob's role admin in carol's page")
	for _, n := range []*node.Node{alice, bob, carol} {
		sees(n, "bob an admin", func(info groups.Info) bool { return roleOf(info, bobID) == groups.RoleAdmin })
	}

	// Remove Carol (the page asks first).
	pa.acceptDialog(`button[aria-label="Remove Carol"]`)
	pa.wait(`!`+member(carolID)+` && document.querySelectorAll('.drawer .members li').length === 2`, "carol gone from alice's list")
	pb.wait(`!`+member(carolID), "carol gone from bob's list")
	pc.wait(`[...document.querySelectorAll('.drawer p.muted')].some((e) => e.textContent === 'You were removed from this group.') && !document.querySelector('.drawer .members')`, "carol told she was removed")
	sees(carol, "carol removed", func(info groups.Info) bool { return info.Status == groups.Removed })
	for _, n := range []*node.Node{alice, bob} {
		sees(n, "carol no longer a member", func(info groups.Info) bool {
			return len(info.Members) == 2 && roleOf(info, carolID) == groups.RoleNone
		})
	}

	// Bob leaves (the page asks first).
	pb.acceptDialog(`.drawer > .section:last-child > button.danger`)
	pb.wait(`[...document.querySelectorAll('.drawer p.muted')].some((e) => e.textContent === 'You left this group.') && !document.querySelector('.drawer .members')`, "bob told he left")
	pa.wait(`!`+member(bobID)+` && document.querySelectorAll('.drawer .members li').length === 1`, "bob gone from alice's list")
	sees(bob, "bob left", func(info groups.Info) bool { return info.Status == groups.Left })
	sees(alice, "alice alone", func(info groups.Info) bool {
		return info.Status == groups.Active && len(info.Members) == 1 && info.Members[0].Account == alice.Info().Account
	})
}
