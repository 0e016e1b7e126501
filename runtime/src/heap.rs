//! Heap objects: layout, reference counting, the per-thread run heap.
//!
//! Every heap object starts with a 16-byte [`Header`] (the refcount at offset 0, which
//! compiled code increments and decrements inline). Objects are allocated from the
//! thread's cache of freed blocks ([`BlockCache`]) or the global allocator, and
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
    /// Bytes stored right after the payload in the object's own block (a string's
    /// text; see [`alloc_with_tail`]). Read again when the block is released, after the
    /// payload was dropped, so a type with a tail must have no drop glue.
    fn tail_bytes(&self) -> usize {
        0
    }
}

/// The block layout of an `Obj<T>` followed by `tail` bytes.
#[inline]
fn block_layout<T: Payload>(tail: usize) -> std::alloc::Layout {
    let layout = std::alloc::Layout::new::<Obj<T>>();
    if tail == 0 {
        return layout;
    }
    std::alloc::Layout::from_size_align(layout.size() + tail, layout.align())
        .unwrap_or_else(|_| panic!("object of {tail} bytes"))
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
    /// Freed object blocks kept for reuse, by size class.
    blocks: BlockCache,
}

/// Object blocks of the small size classes (16, 32, … 128 bytes) freed on this thread,
/// kept in intrusive free lists for the next allocation of the class.
///
/// Why: a script that splits a text into words or builds rows makes and frees objects
/// of a handful of sizes at a high rate; taking them from a list is a few instructions,
/// where the general allocator's path for aligned blocks costs a hundred or more (and
/// its slow path, taken whenever a page's free list runs dry, several hundred). The
/// lists are bounded ([`CACHE_PER_CLASS`]), so a run that freed a million objects
/// returns the rest to the allocator; the blocks are plain memory (no payload), outside
/// the run heap's accounting, and freed when the thread ends.
struct BlockCache {
    heads: [Cell<*mut FreeBlock>; CLASSES],
    counts: [Cell<u32>; CLASSES],
}

struct FreeBlock {
    next: *mut FreeBlock,
}

const CLASS_BYTES: usize = 16;
const CLASSES: usize = 8;
const CACHE_PER_CLASS: u32 = 4096;

/// The size class of a layout, if it has one (alignment at most 16).
#[inline]
fn class_of(layout: std::alloc::Layout) -> Option<usize> {
    let class = layout.size().div_ceil(CLASS_BYTES).max(1) - 1;
    (class < CLASSES && layout.align() <= CLASS_BYTES).then_some(class)
}

/// The layout every block of a class is allocated and freed with.
#[inline]
fn class_layout(class: usize) -> std::alloc::Layout {
    // SAFETY: a non-zero multiple of 16 with alignment 16.
    unsafe { std::alloc::Layout::from_size_align_unchecked((class + 1) * CLASS_BYTES, CLASS_BYTES) }
}

impl BlockCache {
    const fn new() -> BlockCache {
        BlockCache {
            heads: [const { Cell::new(std::ptr::null_mut()) }; CLASSES],
            counts: [const { Cell::new(0) }; CLASSES],
        }
    }

    /// A block for `layout`: a cached one of its class, or a new one.
    #[inline]
    fn take(&self, layout: std::alloc::Layout) -> *mut u8 {
        let Some(class) = class_of(layout) else {
            // SAFETY: object layouts have a non-zero size (the header).
            return unsafe { std::alloc::alloc(layout) };
        };
        let head = self.heads[class].get();
        if head.is_null() {
            // SAFETY: class layouts have a non-zero size.
            return unsafe { std::alloc::alloc(class_layout(class)) };
        }
        // SAFETY: a cached block is ours and starts with its list link.
        self.heads[class].set(unsafe { (*head).next });
        self.counts[class].set(self.counts[class].get() - 1);
        head as *mut u8
    }

    /// Gives back a block [`take`](Self::take) returned for `layout` (its payload dropped).
    #[inline]
    fn give(&self, block: *mut u8, layout: std::alloc::Layout) {
        let Some(class) = class_of(layout) else {
            // SAFETY: allocated by `take` with this layout.
            return unsafe { std::alloc::dealloc(block, layout) };
        };
        let n = self.counts[class].get();
        if n >= CACHE_PER_CLASS {
            // SAFETY: allocated by `take` with the class layout.
            return unsafe { std::alloc::dealloc(block, class_layout(class)) };
        }
        let b = block as *mut FreeBlock;
        // SAFETY: the block is at least 16 bytes, 16-aligned, and no longer in use.
        unsafe {
            b.write(FreeBlock {
                next: self.heads[class].get(),
            })
        };
        self.heads[class].set(b);
        self.counts[class].set(n + 1);
    }
}

impl Drop for BlockCache {
    fn drop(&mut self) {
        for class in 0..CLASSES {
            let mut p = self.heads[class].get();
            while !p.is_null() {
                // SAFETY: every listed block is a class block nothing else refers to.
                unsafe {
                    let next = (*p).next;
                    std::alloc::dealloc(p as *mut u8, class_layout(class));
                    p = next;
                }
            }
        }
    }
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
            blocks: BlockCache::new(),
        }
    };
}

/// A new object (count 1, registered later) and the bytes it accounts for.
#[inline(always)]
fn new_obj<T: Payload>(data: T) -> (Obj<T>, usize) {
    let size = std::mem::size_of::<Obj<T>>() + data.owned_bytes();
    let obj = Obj {
        header: Header {
            rc: Cell::new(1),
            kind: T::KIND,
            flags: Cell::new(0),
            _pad: 0,
            size: Cell::new(size.min(u32::MAX as usize) as u32),
            index: Cell::new(0),
        },
        data,
    };
    (obj, size)
}

/// A block for an `Obj<T>` of `layout` (the process aborts when memory is out, as
/// Rust's allocations do).
#[inline(always)]
fn take_block<T: Payload>(h: &RunHeap, layout: std::alloc::Layout) -> *mut Obj<T> {
    let block = h.blocks.take(layout) as *mut Obj<T>;
    if block.is_null() {
        std::alloc::handle_alloc_error(layout);
    }
    block
}

/// Allocates a heap object holding `data` and returns the owned reference.
pub fn alloc<T: Payload>(data: T) -> Val {
    let (obj, size) = new_obj(data);
    let layout = std::alloc::Layout::new::<Obj<T>>();
    HEAP.with(|h| {
        let block = take_block::<T>(h, layout);
        // SAFETY: a fresh block of `Obj<T>`'s size and alignment.
        unsafe { block.write(obj) };
        // SAFETY: just written.
        unsafe { register(h, block as *mut Header, size) }
    })
}

/// Allocates a heap object whose block holds `tail` more bytes right after the payload
/// (one allocation where a payload owning a buffer would take two). `make` gets the
/// start of the tail — uninitialised, `tail` bytes, valid for the object's lifetime —
/// writes it and returns the payload, whose [`Payload::tail_bytes`] must be `tail`.
pub fn alloc_with_tail<T: Payload>(tail: usize, make: impl FnOnce(*mut u8) -> T) -> Val {
    const {
        assert!(
            !std::mem::needs_drop::<T>(),
            "a payload with a tail has no drop glue"
        )
    };
    let layout = block_layout::<T>(tail);
    HEAP.with(|h| {
        let block = take_block::<T>(h, layout);
        // SAFETY: the block has `tail` bytes after the `Obj<T>`; the pointer carries
        // the provenance of the whole block.
        let data = make(unsafe { (block as *mut u8).add(std::mem::size_of::<Obj<T>>()) });
        debug_assert_eq!(data.tail_bytes(), tail);
        let (obj, size) = new_obj(data);
        // SAFETY: a fresh block of `Obj<T>`'s size (plus the tail) and alignment.
        unsafe { block.write(obj) };
        // SAFETY: just written.
        unsafe { register(h, block as *mut Header, size) }
    })
}

/// Registers a new object of `size` accounted bytes in the run heap.
///
/// # Safety
/// `p` is a freshly written object nothing else refers to.
#[inline(always)]
unsafe fn register(h: &RunHeap, p: *mut Header, size: usize) -> Val {
    let mut objects = h.objects.borrow_mut();
    // SAFETY (caller): p is exclusively ours.
    unsafe { (*p).index.set(objects.len() as u32) };
    objects.push(p);
    let bytes = h.bytes.get() + size;
    h.bytes.set(bytes);
    if bytes > h.peak.get() {
        h.peak.set(bytes);
    }
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
#[inline]
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
        // SAFETY: p is a live object.
        if matches!(unsafe { (*p).kind }, Kind::Str | Kind::Int | Kind::Float) {
            // refers to no other object, so freeing it cannot recurse: freed at once,
            // even in the middle of another free (the words of a list being freed)
            free(h, p);
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
        if (*p).kind == Kind::Str {
            // the commonest object freed, and the simplest: no drop glue, a block
            // sized by its text
            let tail = (*(p as *const Obj<crate::object::str::StrObj>))
                .data
                .tail_bytes();
            let layout = block_layout::<crate::object::str::StrObj>(tail);
            h.blocks.give(p as *mut u8, layout);
            return;
        }
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
    // SAFETY (caller): the object is ours; a payload with a tail has no drop glue,
    // so its fields are still readable after the drop.
    let tail = unsafe { (*(p as *const Obj<T>)).data.tail_bytes() };
    HEAP.with(|h| h.blocks.give(p as *mut u8, block_layout::<T>(tail)));
}

/// Drops the payload and releases the memory of an `Obj<T>`.
///
/// # Safety
/// `p` must come from [`alloc::<T>`] and be dropped exactly once.
pub unsafe fn drop_and_free_of<T: Payload>(p: *mut Header) {
    unsafe {
        std::ptr::drop_in_place(p as *mut Obj<T>);
        free_block_of::<T>(p);
    }
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
