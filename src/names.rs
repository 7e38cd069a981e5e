//! Closed sets of names: strategies, staking methods, pool kinds, lints,
//! formats, sort keys. Each set is declared once, with
//! [`closed_set!`](crate::closed_set), and its spelling is then used
//! everywhere (the profile reader, the command line, the rate book, the
//! renderers and did-you-mean suggestions) through [`ClosedSet`]. This module
//! knows no domain; it must not name any member.

/// A closed set of names, each spelt once (kebab-case, as written in profiles,
/// on the command line and in JSON).
pub trait ClosedSet: Sized + Copy + 'static {
    /// Every member, in declaration order.
    const ALL: &'static [Self];
    /// Every member's name, in declaration order.
    const NAMES: &'static [&'static str];

    /// The member's name as written.
    #[must_use]
    fn name(self) -> &'static str;

    /// What the member means, from its doc comment (for `--help`).
    #[must_use]
    fn help(self) -> &'static str;

    /// The member with this exact name (case-sensitive), if any.
    #[must_use]
    fn parse(text: &str) -> Option<Self> {
        Self::NAMES
            .iter()
            .position(|n| *n == text)
            .map(|i| Self::ALL[i])
    }
}

/// Declares a fieldless enum with one name per variant and implements
/// [`ClosedSet`] and `Display` (the name) for it, plus inherent `ALL`, `NAMES`,
/// `name` and `parse` so callers need not import the trait.
#[macro_export]
macro_rules! closed_set {
    (
        $(#[$meta:meta])*
        $vis:vis enum $ty:ident {
            $( $(#[doc = $doc:literal])* $variant:ident = $text:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        $vis enum $ty {
            $( $(#[doc = $doc])* $variant ),+
        }

        impl $ty {
            /// Every member, in declaration order.
            pub const ALL: [$ty; [$($text),+].len()] = [$($ty::$variant),+];
            /// Every member's name, in declaration order.
            pub const NAMES: [&'static str; [$($text),+].len()] = [$($text),+];

            /// The member's name as written.
            #[must_use]
            pub fn name(self) -> &'static str {
                match self {
                    $( $ty::$variant => $text ),+
                }
            }

            /// What the member means: its doc comment's text.
            #[must_use]
            pub fn help(self) -> &'static str {
                match self {
                    $( $ty::$variant => concat!("" $(, $doc)*).trim_ascii() ),+
                }
            }

            /// The member with this exact name, if any.
            #[must_use]
            pub fn parse(text: &str) -> Option<$ty> {
                match text {
                    $( $text => Some($ty::$variant), )+
                    _ => None,
                }
            }
        }

        impl $crate::names::ClosedSet for $ty {
            const ALL: &'static [$ty] = &$ty::ALL;
            const NAMES: &'static [&'static str] = &$ty::NAMES;
            fn name(self) -> &'static str {
                $ty::name(self)
            }
            fn help(self) -> &'static str {
                $ty::help(self)
            }
            fn parse(text: &str) -> Option<$ty> {
                $ty::parse(text)
            }
        }

        impl ::std::fmt::Display for $ty {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.name())
            }
        }
    };
}

/// The macro under this module's path, so users name it where it is defined.
pub use crate::closed_set;

#[cfg(test)]
mod tests {
    use super::ClosedSet;

    crate::names::closed_set! {
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        enum Colour {
            /// The colour of
            /// blood.
            Red = "red",
            DarkBlue = "dark-blue",
        }
    }

    #[test]
    fn names_parse_back_to_their_members() {
        for c in Colour::ALL {
            assert_eq!(Colour::parse(c.name()), Some(c));
            assert_eq!(<Colour as ClosedSet>::parse(&c.to_string()), Some(c));
        }
        assert_eq!(Colour::NAMES, ["red", "dark-blue"]);
        assert_eq!(Colour::parse("blue"), None);
        assert_eq!(Colour::Red.help(), "The colour of blood.");
        assert_eq!(Colour::DarkBlue.help(), "");
    }
}
