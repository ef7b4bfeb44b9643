//! The linter's rules by id: one variant per rule, so a finding can only
//! name a rule that exists, and a scenario's `lint:` expectations can be
//! checked against the whole list (a misspelt id is refused, never passes).

/// Declares the rules and their ids.
macro_rules! rules {
    ($($variant:ident => $id:literal,)*) => {
        /// A rule of the policy linter.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Rule {
            $(
                #[doc = $id]
                $variant,
            )*
        }

        impl Rule {
            /// Every rule.
            pub const ALL: &[Rule] = &[$(Rule::$variant,)*];

            /// The stable id findings carry.
            pub fn id(self) -> &'static str {
                match self {
                    $(Rule::$variant => $id,)*
                }
            }
        }
    };
}

rules! {
    AllowNotAction => "allow-not-action",
    AllowNotResource => "allow-not-resource",
    DuplicateSid => "duplicate-sid",
    ForallvaluesSingleValuedKey => "forallvalues-single-valued-key",
    IdentityAssumeAnyRole => "identity-assume-any-role",
    IdentityDataReadWildcard => "identity-data-read-wildcard",
    IdentityServiceWildcard => "identity-service-wildcard",
    IdentityTrustRewrite => "identity-trust-rewrite",
    MfaFalseCondition => "mfa-false-condition",
    TrustAccountPrincipal => "trust-account-principal",
    TrustActionWildcard => "trust-action-wildcard",
    TrustAnyPrincipal => "trust-any-principal",
    TrustConditionWildcardInEquals => "trust-condition-wildcard-in-equals",
    TrustCrossAccountNoExternalId => "trust-cross-account-no-external-id",
    TrustDeadPrincipal => "trust-dead-principal",
    TrustExternalIdWeak => "trust-external-id-weak",
    TrustFederatedActionMismatch => "trust-federated-action-mismatch",
    TrustFederatedNoAudience => "trust-federated-no-audience",
    TrustNotPrincipalAllow => "trust-not-principal-allow",
    TrustNotPrincipalDeny => "trust-not-principal-deny",
    TrustOidcNoAud => "trust-oidc-no-aud",
    TrustOidcNoSub => "trust-oidc-no-sub",
    TrustOidcSubWildcard => "trust-oidc-sub-wildcard",
    TrustResourceElement => "trust-resource-element",
    TrustServiceNoSource => "trust-service-no-source",
    UnknownAction => "unknown-action",
    VersionMissing => "version-missing",
    VersionVariables => "version-variables",
}
