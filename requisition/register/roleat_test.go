package register_test

import (
	"testing"

	"github.com/ccjkit/ccjkit/requisition/register"
)

// A record is judged by the role its signer had when it signed: a name
// removed and added again with another role keeps its earlier records'
// role.
func TestRoleAt(t *testing.T) {
	admit := func(name string, role register.Role, at uint64) register.MemberInfo {
		var m register.MemberInfo
		m.Name, m.Role, m.AddedAt = name, role, at
		return m
	}
	members := []register.MemberInfo{
		admit("alice", register.RoleMember, 1),
		admit("svc", register.RoleService, 4),
		admit("alice", register.RoleWatch, 10),
	}
	tests := []struct {
		name string
		who  string
		seq  uint64
		want register.Role
		ok   bool
	}{
		{"before her first admission", "alice", 1, "", false},
		{"as a member", "alice", 5, register.RoleMember, true},
		{"on the record of her second admission", "alice", 10, register.RoleMember, true},
		{"after it, as a watch", "alice", 11, register.RoleWatch, true},
		{"a service", "svc", 7, register.RoleService, true},
		{"a stranger", "mallory", 7, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := register.RoleAt(members, tt.who, tt.seq)
			if got != tt.want || ok != tt.ok {
				t.Fatalf("RoleAt = %q %v, want %q %v", got, ok, tt.want, tt.ok)
			}
		})
	}
}
