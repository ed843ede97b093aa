//! The hash of any `Serialize` value, fed straight into a [`Hasher`] without building JSON
//! or any other text: what serve keys a page by is the data its template receives.
//!
//! Every value is written with what tells it apart from its neighbours (a string's length,
//! an option's tag, a variant's index, a list's length at its end), so two different values
//! of one type hash differently unless the 64-bit hashes collide.
//!
//! The serializer is not human-readable: a value may serialize as a stand-in here (see
//! [`super::Shared`]) and as itself for the templates.

use std::fmt::Display;
use std::hash::Hasher;

use serde::ser::{self, Serialize};

/// The hash of what `value` serializes as; `None` if its `Serialize` reports an error.
pub fn hash_serialized<T: Serialize + ?Sized>(value: &T) -> Option<u64> {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    value.serialize(&mut HashSerializer(&mut h)).ok()?;
    Some(h.finish())
}

/// Hashes whatever is serialized into it.
struct HashSerializer<'h, H: Hasher>(&'h mut H);

/// A value's own `Serialize` failed (none of the views does): it gets no hash.
#[derive(Debug)]
struct Never;

impl Display for Never {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the value cannot be serialized")
    }
}

impl std::error::Error for Never {}

impl ser::Error for Never {
    fn custom<T: Display>(_: T) -> Self {
        Never
    }
}

/// Tags that keep values of different shapes apart.
mod tag {
    pub const NONE: u8 = 0;
    pub const SOME: u8 = 1;
    pub const UNIT: u8 = 2;
    pub const END: u8 = 3;
}

impl<H: Hasher> HashSerializer<'_, H> {
    fn bytes(&mut self, b: &[u8]) {
        self.0.write_usize(b.len());
        self.0.write(b);
    }
    fn variant(&mut self, index: u32) {
        self.0.write_u32(index);
    }
}

macro_rules! scalars {
    ($($method:ident: $ty:ty => $write:ident),* $(,)?) => {
        $(fn $method(self, v: $ty) -> Result<(), Never> {
            self.0.$write(v);
            Ok(())
        })*
    };
}

impl<'a, 'h, H: Hasher> ser::Serializer for &'a mut HashSerializer<'h, H> {
    type Ok = ();
    type Error = Never;
    type SerializeSeq = Self;
    type SerializeTuple = Self;
    type SerializeTupleStruct = Self;
    type SerializeTupleVariant = Self;
    type SerializeMap = Self;
    type SerializeStruct = Self;
    type SerializeStructVariant = Self;

    scalars! {
        serialize_i8: i8 => write_i8, serialize_i16: i16 => write_i16, serialize_i32: i32 => write_i32,
        serialize_i64: i64 => write_i64, serialize_i128: i128 => write_i128,
        serialize_u8: u8 => write_u8, serialize_u16: u16 => write_u16, serialize_u32: u32 => write_u32,
        serialize_u64: u64 => write_u64, serialize_u128: u128 => write_u128,
    }

    fn serialize_bool(self, v: bool) -> Result<(), Never> {
        self.0.write_u8(u8::from(v));
        Ok(())
    }
    fn serialize_f32(self, v: f32) -> Result<(), Never> {
        self.0.write_u32(v.to_bits());
        Ok(())
    }
    fn serialize_f64(self, v: f64) -> Result<(), Never> {
        self.0.write_u64(v.to_bits());
        Ok(())
    }
    fn serialize_char(self, v: char) -> Result<(), Never> {
        self.0.write_u32(u32::from(v));
        Ok(())
    }
    fn serialize_str(self, v: &str) -> Result<(), Never> {
        self.bytes(v.as_bytes());
        Ok(())
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<(), Never> {
        self.bytes(v);
        Ok(())
    }
    fn serialize_none(self) -> Result<(), Never> {
        self.0.write_u8(tag::NONE);
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Never> {
        self.0.write_u8(tag::SOME);
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Never> {
        self.0.write_u8(tag::UNIT);
        Ok(())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Never> {
        self.serialize_unit()
    }
    fn serialize_unit_variant(self, _: &'static str, index: u32, _: &'static str) -> Result<(), Never> {
        self.variant(index);
        Ok(())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, value: &T) -> Result<(), Never> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        index: u32,
        _: &'static str,
        value: &T,
    ) -> Result<(), Never> {
        self.variant(index);
        value.serialize(self)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self, Never> {
        Ok(self)
    }
    fn serialize_tuple(self, _: usize) -> Result<Self, Never> {
        Ok(self)
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Self, Never> {
        Ok(self)
    }
    fn serialize_tuple_variant(self, _: &'static str, index: u32, _: &'static str, _: usize) -> Result<Self, Never> {
        self.variant(index);
        Ok(self)
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self, Never> {
        Ok(self)
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self, Never> {
        Ok(self)
    }
    fn serialize_struct_variant(self, _: &'static str, index: u32, _: &'static str, _: usize) -> Result<Self, Never> {
        self.variant(index);
        Ok(self)
    }
    fn is_human_readable(&self) -> bool {
        false
    }
}

/// Every element is preceded by a marker and the list ends with another, so that
/// `[["a"], []]` and `[[], ["a"]]` differ.
macro_rules! compound {
    ($($trait:ident: $method:ident),* $(,)?) => {
        $(impl<'a, 'h, H: Hasher> ser::$trait for &'a mut HashSerializer<'h, H> {
            type Ok = ();
            type Error = Never;
            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Never> {
                self.0.write_u8(tag::SOME);
                value.serialize(&mut **self)
            }
            fn end(self) -> Result<(), Never> {
                self.0.write_u8(tag::END);
                Ok(())
            }
        })*
    };
}

compound! {
    SerializeSeq: serialize_element,
    SerializeTuple: serialize_element,
    SerializeTupleStruct: serialize_field,
    SerializeTupleVariant: serialize_field,
}

impl<'a, 'h, H: Hasher> ser::SerializeMap for &'a mut HashSerializer<'h, H> {
    type Ok = ();
    type Error = Never;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Never> {
        self.0.write_u8(tag::SOME);
        key.serialize(&mut **self)
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Never> {
        value.serialize(&mut **self)
    }
    fn end(self) -> Result<(), Never> {
        self.0.write_u8(tag::END);
        Ok(())
    }
}

/// A struct's fields are fixed by its type: their values in order tell two apart. A
/// skipped field is marked, so that skipping one field cannot look like skipping another.
macro_rules! fields {
    ($($trait:ident),* $(,)?) => {
        $(impl<'a, 'h, H: Hasher> ser::$trait for &'a mut HashSerializer<'h, H> {
            type Ok = ();
            type Error = Never;
            fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<(), Never> {
                self.bytes(key.as_bytes());
                value.serialize(&mut **self)
            }
            fn skip_field(&mut self, key: &'static str) -> Result<(), Never> {
                self.0.write_u8(tag::NONE);
                self.bytes(key.as_bytes());
                Ok(())
            }
            fn end(self) -> Result<(), Never> {
                self.0.write_u8(tag::END);
                Ok(())
            }
        })*
    };
}

fields!(SerializeStruct, SerializeStructVariant);

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Serialize;

    #[derive(Serialize)]
    struct View {
        title: String,
        tags: Vec<Vec<String>>,
        note: Option<String>,
        #[serde(flatten)]
        inner: Inner,
    }

    #[derive(Serialize)]
    struct Inner {
        count: u32,
    }

    fn view(title: &str, tags: Vec<Vec<&str>>, note: Option<&str>, count: u32) -> u64 {
        let tags = tags.into_iter().map(|t| t.into_iter().map(String::from).collect()).collect();
        hash_serialized(&View { title: title.into(), tags, note: note.map(String::from), inner: Inner { count } })
            .unwrap()
    }

    #[test]
    fn equal_values_hash_equal_and_any_difference_shows() {
        let base = view("a", vec![vec!["x"], vec![]], None, 1);
        assert_eq!(base, view("a", vec![vec!["x"], vec![]], None, 1));
        let others = [
            view("b", vec![vec!["x"], vec![]], None, 1),
            view("a", vec![vec![], vec!["x"]], None, 1),
            view("a", vec![vec!["x"]], None, 1),
            view("a", vec![vec!["x"], vec![]], Some(""), 1),
            view("a", vec![vec!["x"], vec![]], None, 2),
            view("ax", vec![vec![], vec![]], None, 1),
        ];
        for (i, other) in others.iter().enumerate() {
            assert_ne!(base, *other, "change {i} must change the hash");
        }
    }
}
