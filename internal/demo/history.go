package demo

import (
	"fmt"
	"maps"
	"strings"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/storage/memory"

	"github.com/ferryhq/ferry/model"
)

// history is the GitOps repo's past: every environment of every app starts
// at the app's first build and is promoted build by build up to what the
// plan declares, dev first, then staging, then the production regions
// together. A pending cell's last promotion is the very last commit.
type history struct {
	r     renderer
	mem   *memory.Storage
	files map[string][]byte
	state state
	head  plumbing.Hash
	count int
	// beforePending is the commit just before the pending promotions: what
	// a manually synced controller last applied.
	beforePending plumbing.Hash
}

// humans promote to staging and production; the CI bot deploys to dev.
var humans = []object.Signature{
	{Name: "Alice Moreau", Email: "alice@shop.example"},
	{Name: "Bashir Okafor", Email: "bashir@shop.example"},
	{Name: "Chen Wei", Email: "chen@shop.example"},
	{Name: "Dana Kowalski", Email: "dana@shop.example"},
}

var ciBot = object.Signature{Name: "shop-ci[bot]", Email: "ci@shop.example"}

// writeHistory writes the whole history into memory.
func writeHistory(r renderer) (*history, error) {
	h := &history{r: r, mem: memory.NewStorage(), state: state{}}
	files, err := r.skeleton()
	if err != nil {
		return nil, err
	}
	h.files = files
	for _, app := range appPlans {
		h.state[app.Name] = map[string]int{}
		for _, env := range envPlans {
			if _, ok := app.Cells[env.Name]; ok {
				if err := h.set(app, env.Name, 0); err != nil {
					return nil, err
				}
			}
		}
	}
	msg := fmt.Sprintf("Bootstrap shop-gitops: %d apps in %d environments", len(appPlans), len(envPlans))
	if err := h.commit(msg, humans[0], epoch.Add(time.Hour)); err != nil {
		return nil, err
	}
	for b := 1; b <= maxBuild(); b++ {
		if err := h.promoteLevel(b); err != nil {
			return nil, err
		}
	}
	h.beforePending = h.head
	return h, h.promotePending()
}

func maxBuild() int {
	n := 0
	for _, app := range appPlans {
		for _, c := range app.Cells {
			n = max(n, c.Build)
		}
	}
	return n
}

// stages group the environments the way promotions travel.
func stages() [][]string {
	var prods []string
	for _, e := range envPlans[2:] {
		prods = append(prods, e.Name)
	}
	return [][]string{{envPlans[0].Name}, {envPlans[1].Name}, prods}
}

// promoteLevel promotes every cell that goes as far as build b.
func (h *history) promoteLevel(b int) error {
	when := buildTime(b)
	for _, app := range appPlans {
		for i, stage := range stages() {
			var envs []string
			for _, env := range stage {
				c, ok := app.Cells[env]
				if !ok || c.Build < b || (c.Twist == pending && c.Build == b) {
					continue
				}
				envs = append(envs, env)
			}
			if len(envs) == 0 {
				continue
			}
			when = when.Add(35 * time.Minute)
			if err := h.promote(app, envs, b, i, when); err != nil {
				return err
			}
		}
	}
	return nil
}

// promotePending makes the promotions the controller has not applied yet.
func (h *history) promotePending() error {
	when := buildTime(maxBuild() + 1)
	for _, app := range appPlans {
		for _, env := range envPlans {
			if c, ok := app.Cells[env.Name]; ok && c.Twist == pending {
				when = when.Add(time.Hour)
				if err := h.promote(app, []string{env.Name}, c.Build, 2, when); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// promote commits build b of app to envs, the way ferry itself would.
func (h *history) promote(app appPlan, envs []string, b, stage int, when time.Time) error {
	from := app.version(h.state[app.Name][envs[0]])
	for _, env := range envs {
		if err := h.set(app, env, b); err != nil {
			return err
		}
	}
	bd := h.r.builds[app.Name][b]
	var msg strings.Builder
	verb, author := "Promote", humans[(h.count+stage)%len(humans)]
	if stage == 0 {
		verb, author = "Deploy", ciBot
	}
	fmt.Fprintf(&msg, "%s %s %s to %s\n\n", verb, app.Name, bd.Version, strings.Join(envs, ", "))
	if from == bd.Version {
		fmt.Fprintf(&msg, "%s %s, rebuilt (%s)\n\n", app.Name, bd.Version, model.ShortDigest(bd.Digest))
	} else {
		fmt.Fprintf(&msg, "%s %s → %s (%s)\n\n", app.Name, from, bd.Version, model.ShortDigest(bd.Digest))
	}
	fmt.Fprintf(&msg, "Ferry-App: %s\n", app.Name)
	for _, env := range envs {
		fmt.Fprintf(&msg, "Ferry-Env: %s\n", env)
	}
	fmt.Fprintf(&msg, "Ferry-Digest: %s\n", bd.Digest)
	return h.commit(msg.String(), author, when)
}

// set renders the file that declares app in env at build b.
func (h *history) set(app appPlan, env string, b int) error {
	p, content, err := h.r.cell(app, env, b)
	if err != nil {
		return err
	}
	h.files[p] = content
	h.state[app.Name][env] = b
	return nil
}

func (h *history) commit(msg string, who object.Signature, when time.Time) error {
	tree, err := writeTree(h.mem, h.files)
	if err != nil {
		return err
	}
	who.When = when
	c := &object.Commit{Author: who, Committer: who, Message: msg, TreeHash: tree}
	if !h.head.IsZero() {
		c.ParentHashes = []plumbing.Hash{h.head}
	}
	head, err := writeCommit(h.mem, c)
	if err != nil {
		return err
	}
	h.head = head
	h.count++
	return nil
}

// Files returns the files at the head of the history.
func (h *history) Files() map[string][]byte { return maps.Clone(h.files) }
