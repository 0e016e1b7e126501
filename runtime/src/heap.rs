//! Heap objects: layout, reference counting, the per-thread run heap.
//!
//! Every heap object starts with a 16-byte [`Header`] (the refcount at offset 0, which
//! compiled code increments and decrements inline). Objects are allocated with `Box` and
//! registered in the current thread's *run heap*:
//!
//! - **Iterative deallocation.** When a count reaches zero the object is freed; objects
//!   freed while another is being freed are queued instead of recursing, so dropping a
//!   list nested a million deep uses constant stack (CPython's "trashcan").
//! - **Accounting.** The run heap counts the bytes held by live objects; the context
//!   compares it with the memory limit at allocation sites that can be large and at every
//!   fuel check, and raises `MemoryError`.
//! - **Sweep.** When a run ends, every object still registered — reference cycles, or
//!   anything a bug leaked — is freed. Nothing allocated by one run survives into the next.
//!
//! Values never cross threads: the run heap is thread-local and counts are not atomic.

use std::cell::{Cell, RefCell};

use crate::value::{Val, Value};

/// Object kinds; the tag byte at offset 4 of the header.
#[repr(u8)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Int = 1,
    Float,
    Str,
    List,
    Tuple,
    Dict,
    Set,
    Range,
    Slice,
    Function,
    BoundMethod,
    Exception,
    Document,
    Iterator,
    Cell,
    Date,
    DateTime,
    Time,
    TimeDelta,
}

#[repr(C)]
pub struct Header {
    /// Reference count (offset 0: compiled code updates it inline).
    pub rc: Cell<u32>,
    /// Offset 4.
    pub kind: Kind,
    pub flags: Cell<u8>,
    _pad: u16,
    /// Bytes this object accounts for (header, payload and what it owns).
    size: Cell<u32>,
    /// Position in the run heap's registry.
    index: Cell<u32>,
}

pub const RC_OFFSET: i32 = 0;
pub const KIND_OFFSET: i32 = 4;

#[repr(C)]
pub struct Obj<T> {
    pub header: Header,
    pub data: T,
}

/// A type stored in a heap object.
pub trait Payload: Sized + 'static {
    const KIND: Kind;
    /// Bytes owned outside the object itself (string bytes, vector capacity…).
    fn owned_bytes(&self) -> usize {
        0
    }
}

struct RunHeap {
    /// Every live object of this thread.
    objects: RefCell<Vec<*mut Header>>,
    bytes: Cell<usize>,
    peak: Cell<usize>,
    /// Set while an object is being freed: further frees are queued.
    releasing: Cell<bool>,
    pending: RefCell<Vec<*mut Header>>,
    /// Set while a run's leftovers are swept: counts are meaningless then.
    sweeping: Cell<bool>,
}

thread_local! {
    static HEAP: RunHeap = const {
        RunHeap {
            objects: RefCell::new(Vec::new()),
            bytes: Cell::new(0),
            peak: Cell::new(0),
            releasing: Cell::new(false),
            pending: RefCell::new(Vec::new()),
            sweeping: Cell::new(false),
        }
    };
}

/// Allocates a heap object holding `data` and returns the owned reference.
pub fn alloc<T: Payload>(data: T) -> Val {
    let size = std::mem::size_of::<Obj<T>>() + data.owned_bytes();
    let obj = Box::new(Obj {
        header: Header {
            rc: Cell::new(1),
            kind: T::KIND,
            flags: Cell::new(0),
            _pad: 0,
            size: Cell::new(size.min(u32::MAX as usize) as u32),
            index: Cell::new(0),
        },
        data,
    });
    let p = Box::into_raw(obj) as *mut Header;
    HEAP.with(|h| {
        let mut objects = h.objects.borrow_mut();
        // SAFETY: p was just allocated and is exclusively ours.
        unsafe { (*p).index.set(objects.len() as u32) };
        objects.push(p);
        let bytes = h.bytes.get() + size;
        h.bytes.set(bytes);
        if bytes > h.peak.get() {
            h.peak.set(bytes);
        }
    });
    // SAFETY: the single reference created above is handed to the caller.
    unsafe { Val::from_raw(Value(p as u64)) }
}

/// Records that object `v` now owns `delta` more (or fewer) bytes.
pub fn account(v: Value, delta: isize) {
    if !v.is_ptr() || delta == 0 {
        return;
    }
    let h = header(v);
    let size = (h.size.get() as isize + delta).max(0) as usize;
    h.size.set(size.min(u32::MAX as usize) as u32);
    HEAP.with(|heap| {
        let bytes = (heap.bytes.get() as isize + delta).max(0) as usize;
        heap.bytes.set(bytes);
        if bytes > heap.peak.get() {
            heap.peak.set(bytes);
        }
    });
}

/// Bytes held by live objects of this thread's run heap.
pub fn live_bytes() -> usize {
    HEAP.with(|h| h.bytes.get())
}

/// Live objects of this thread's run heap.
pub fn live_objects() -> usize {
    HEAP.with(|h| h.objects.borrow().len())
}

#[inline]
fn header<'a>(v: Value) -> &'a Header {
    // SAFETY: callers pass live heap pointers (tag checked by the caller).
    unsafe { &*(v.0 as *const Header) }
}

/// The kind of a heap value (`None` for immediates).
#[inline]
pub fn kind_of(v: Value) -> Option<Kind> {
    if v.is_ptr() {
        Some(header(v).kind)
    } else {
        None
    }
}

/// The payload of `v` if it is a heap object of kind `T::KIND`.
#[inline]
pub fn get<'a, T: Payload>(v: Value) -> Option<&'a T> {
    if v.is_ptr() && header(v).kind == T::KIND {
        // SAFETY: the kind byte identifies the payload type; the object lives as long
        // as the caller's reference to `v`.
        Some(unsafe { &(*(v.0 as *const Obj<T>)).data })
    } else {
        None
    }
}

#[inline]
pub fn incref(v: Value) {
    if v.is_ptr() {
        let h = header(v);
        h.rc.set(h.rc.get().wrapping_add(1));
    }
}

#[inline]
pub fn decref(v: Value) {
    if v.is_ptr() {
        let h = header(v);
        let rc = h.rc.get().wrapping_sub(1);
        h.rc.set(rc);
        if rc == 0 {
            release(v.0 as *mut Header);
        }
    }
}

/// The reference count (tests and debugging).
pub fn refcount(v: Value) -> Option<u32> {
    v.is_ptr().then(|| header(v).rc.get())
}

/// Frees an object whose count compiled code brought to zero.
pub fn release_value(v: Value) {
    if v.is_ptr() {
        release(v.0 as *mut Header);
    }
}

#[cold]
fn release(p: *mut Header) {
    HEAP.with(|h| {
        if h.sweeping.get() {
            return;
        }
        if h.releasing.get() {
            h.pending.borrow_mut().push(p);
            return;
        }
        h.releasing.set(true);
        free(h, p);
        loop {
            let next = h.pending.borrow_mut().pop();
            match next {
                Some(q) => free(h, q),
                None => break,
            }
        }
        h.releasing.set(false);
    });
}

/// Unregisters and frees one object (its payload's drop may queue more).
fn free(h: &RunHeap, p: *mut Header) {
    // SAFETY: p is a registered, live object whose count reached zero.
    unsafe {
        let index = (*p).index.get() as usize;
        let size = (*p).size.get() as usize;
        {
            let mut objects = h.objects.borrow_mut();
            objects.swap_remove(index);
            if let Some(&moved) = objects.get(index) {
                (*moved).index.set(index as u32);
            }
        }
        h.bytes.set(h.bytes.get().saturating_sub(size));
        crate::object::drop_and_free(p);
    }
}

/// Frees every object still alive on this thread (the end of a run). Payloads are
/// dropped while all memory is still allocated, then memory is released, so objects
/// referring to each other (cycles) are freed without touching freed memory.
pub fn sweep() {
    HEAP.with(|h| {
        let objects = std::mem::take(&mut *h.objects.borrow_mut());
        LAST_SWEEP.with(|c| c.set(objects.len()));
        if objects.is_empty() {
            return;
        }
        h.sweeping.set(true);
        // SAFETY: every pointer is a live object; none is freed before the last loop.
        unsafe {
            for &p in &objects {
                (*p).rc.set(u32::MAX / 2);
            }
            for &p in &objects {
                crate::object::drop_payload(p);
            }
            for &p in &objects {
                crate::object::free_block(p);
            }
        }
        h.pending.borrow_mut().clear();
        h.bytes.set(0);
        h.sweeping.set(false);
    });
}

/// Drops `T`'s payload in place (memory stays allocated).
///
/// # Safety
/// `p` must point to a live `Obj<T>` whose payload has not been dropped.
pub unsafe fn drop_payload_of<T: Payload>(p: *mut Header) {
    unsafe { std::ptr::drop_in_place(&mut (*(p as *mut Obj<T>)).data) }
}

/// Releases the memory of an `Obj<T>` whose payload was already dropped.
///
/// # Safety
/// `p` must come from [`alloc::<T>`] and its payload must have been dropped.
pub unsafe fn free_block_of<T: Payload>(p: *mut Header) {
    unsafe {
        let layout = std::alloc::Layout::new::<Obj<T>>();
        std::alloc::dealloc(p as *mut u8, layout);
    }
}

/// Drops the payload and releases the memory of an `Obj<T>`.
///
/// # Safety
/// `p` must come from [`alloc::<T>`] and be dropped exactly once.
pub unsafe fn drop_and_free_of<T: Payload>(p: *mut Header) {
    unsafe { drop(Box::from_raw(p as *mut Obj<T>)) }
}

/// Scope of one script run on this thread: what it allocates is freed when it ends.
/// Runs nest (a script calling `run_script`); only the outermost one sweeps.
pub struct RunScope {
    outermost: bool,
}

thread_local! {
    static RUN_DEPTH: Cell<u32> = const { Cell::new(0) };
    static LAST_SWEEP: Cell<usize> = const { Cell::new(0) };
}

/// How many objects the last sweep on this thread found still alive. Zero after a run
/// without reference cycles: anything else is a reference-counting leak (tests check).
pub fn last_sweep_count() -> usize {
    LAST_SWEEP.with(|c| c.get())
}

impl RunScope {
    pub fn enter() -> RunScope {
        let depth = RUN_DEPTH.with(|d| {
            let v = d.get();
            d.set(v + 1);
            v
        });
        RunScope {
            outermost: depth == 0,
        }
    }
}

impl Drop for RunScope {
    fn drop(&mut self) {
        RUN_DEPTH.with(|d| d.set(d.get() - 1));
        if self.outermost {
            sweep();
        }
    }
}
