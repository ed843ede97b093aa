//! Template data whose fields include another view's: a site's page shows every field of
//! the site's card and more. serde's `flatten` says that, but serializes such a struct as a
//! map of unknown length whose keys are new strings, one allocation per key and a table
//! grown step by step, for every page Tera renders.
//! [`view_struct!`] declares the struct and serializes it as one struct of known length,
//! with the same fields in the same order, so the templates see exactly what they did.

use serde::ser::SerializeStruct;

/// A struct whose fields another view can take in as its own.
pub trait Fields {
    /// How many fields [`Fields::fields`] writes.
    const COUNT: usize;
    fn fields<S: SerializeStruct>(&self, out: &mut S) -> Result<(), S::Error>;
}

/// A view shared between documents (a site printed in its leaflet and in its booklet).
impl<T: Fields> Fields for std::sync::Arc<T> {
    const COUNT: usize = T::COUNT;
    fn fields<S: SerializeStruct>(&self, out: &mut S) -> Result<(), S::Error> {
        T::fields(self, out)
    }
}

/// Declares a view struct, and serializes it through [`Fields`]. A first field written
/// `..card: SiteCard` gives its own fields in its place, as `#[serde(flatten)]` would.
/// Fields take no serde attributes: their names are the templates' names.
macro_rules! view_struct {
    (
        $(#[$attr:meta])*
        $vis:vis struct $name:ident $(<$lt:lifetime>)? {
            $(.. $flat_vis:vis $flat:ident : $flat_ty:ty,)?
            $($(#[$field_attr:meta])* $field_vis:vis $field:ident : $ty:ty),* $(,)?
        }
    ) => {
        $(#[$attr])*
        $vis struct $name $(<$lt>)? {
            $($flat_vis $flat: $flat_ty,)?
            $($(#[$field_attr])* $field_vis $field: $ty),*
        }

        impl $(<$lt>)? $crate::render::view_struct::Fields for $name $(<$lt>)? {
            const COUNT: usize =
                $(<$flat_ty as $crate::render::view_struct::Fields>::COUNT +)? [$(stringify!($field)),*].len();
            fn fields<S: serde::ser::SerializeStruct>(&self, out: &mut S) -> Result<(), S::Error> {
                $($crate::render::view_struct::Fields::fields(&self.$flat, out)?;)?
                $(out.serialize_field(stringify!($field), &self.$field)?;)*
                Ok(())
            }
        }

        impl $(<$lt>)? serde::Serialize for $name $(<$lt>)? {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                use serde::ser::SerializeStruct as _;
                let mut out = serializer
                    .serialize_struct(stringify!($name), <Self as $crate::render::view_struct::Fields>::COUNT)?;
                $crate::render::view_struct::Fields::fields(self, &mut out)?;
                out.end()
            }
        }
    };
}
pub(crate) use view_struct;

#[cfg(test)]
mod tests {
    use serde::Serialize;
    use serde_json::json;

    view_struct! {
        struct Inner {
            a: u32,
            b: &'static str,
        }
    }

    view_struct! {
        struct Outer<'x> {
            ..inner: Inner,
            c: Option<&'x str>,
        }
    }

    /// What serde's own `flatten` makes of the same fields.
    #[derive(Serialize)]
    struct Reference {
        #[serde(flatten)]
        inner: InnerReference,
        c: Option<&'static str>,
    }
    #[derive(Serialize)]
    struct InnerReference {
        a: u32,
        b: &'static str,
    }

    #[test]
    fn a_flattened_field_gives_its_fields_in_place_as_serde_flatten_does() {
        let ours = Outer { inner: Inner { a: 1, b: "x" }, c: None };
        let serde = Reference { inner: InnerReference { a: 1, b: "x" }, c: None };
        assert_eq!(serde_json::to_value(&ours).unwrap(), serde_json::to_value(&serde).unwrap());
        assert_eq!(serde_json::to_string(&ours).unwrap(), r#"{"a":1,"b":"x","c":null}"#);
        assert_eq!(<Outer as super::Fields>::COUNT, 3);
        // Tera sees the same value: the templates read the same fields.
        let tera = tera::Value::from_serializable(&ours);
        assert_eq!(serde_json::to_value(&tera).unwrap(), json!({"a": 1, "b": "x", "c": null}));
    }
}
