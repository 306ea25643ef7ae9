import CGraphviz
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// cgraph's object-ID discipline, replaced so that IDs follow creation order.
///
/// cgraph keeps subgraphs ordered by ID, and its default discipline makes the ID of a
/// named object the address of its interned name. Subgraphs — the stage clusters above
/// all — then come out in the order of heap addresses, which changes from run to run, and
/// with them the layout and the DOT text. This discipline numbers named objects 2, 4, 6 …
/// as their names are first used, and anonymous ones 1, 3, 5 …, so that the same graph
/// built the same way always gets the same IDs.
///
/// Every callback runs under ``Graphviz``'s lock, like every other cgraph call.
enum CGraphIdentifiers {
    /// The discipline to pass to `agopen` and `agread`: this ID discipline, with memory
    /// and I/O done as cgraph's defaults do them.
    nonisolated(unsafe) static let discipline: UnsafeMutablePointer<Agdisc_t> = {
        // Field by field, so that the one member that exists only before Graphviz 13.0
        // (`alloc`) can be left out with #if.
        var idDiscipline = Agiddisc_t()
        idDiscipline.open = { graph, _ in
            guard let graph else { return nil }
            return Unmanaged.passRetained(Table(graph: graph)).toOpaque()
        }
        idDiscipline.map = { state, _, name, id, create in
            guard let state, let id else { return 0 }
            return Table.from(state).map(name, to: id, create: create != 0) ? 1 : 0
        }
        #if !GRAPHVIZ_13
        idDiscipline.alloc = { _, _, _ in 0 }
        #endif
        idDiscipline.free = { state, _, id in
            guard let state else { return }
            Table.from(state).release(id)
        }
        idDiscipline.print = { state, _, id in
            guard let state else { return nil }
            return Table.from(state).name(of: id)
        }
        idDiscipline.close = { state in
            guard let state else { return }
            Unmanaged<Table>.fromOpaque(state).release()
        }
        idDiscipline.idregister = { _, _, _ in }
        let ids = UnsafeMutablePointer<Agiddisc_t>.allocate(capacity: 1)
        ids.initialize(to: idDiscipline)
        // Memory: cgraph's own (before 9.0 a nil `Agdisc_t.mem` selects cgraph's default
        // allocator; 9.0 removed memory disciplines). I/O as cgraph's own discipline does
        // it (which Swift 6 may not read, being a mutable C global): the DOT reader calls
        // the I/O discipline it is given directly, so it may not be left out.
        let io = UnsafeMutablePointer<Agiodisc_t>.allocate(capacity: 1)
        io.initialize(to: Agiodisc_t(
            afread: { channel, buffer, size in
                guard let channel, let buffer, size > 0 else { return 0 }
                return Int32(fread(buffer, 1, Int(size), channel.assumingMemoryBound(to: FILE.self)))
            },
            putstr: { channel, text in
                guard let channel, let text else { return EOF }
                return fputs(text, channel.assumingMemoryBound(to: FILE.self))
            },
            flush: { channel in
                guard let channel else { return EOF }
                return fflush(channel.assumingMemoryBound(to: FILE.self))
            }))
        let discipline = UnsafeMutablePointer<Agdisc_t>.allocate(capacity: 1)
        var disciplines = Agdisc_t()      // .mem (before 9.0) stays nil: cgraph's default
        disciplines.id = ids
        disciplines.io = io
        discipline.initialize(to: disciplines)
        return discipline
    }()

    /// The IDs of one root graph: each name interned in the graph's string dictionary
    /// and the ID it got, with how many objects hold it.
    private final class Table {
        let graph: UnsafeMutablePointer<Agraph_t>
        var idByName: [UnsafeMutablePointer<CChar>: IDTYPE] = [:]
        var nameByID: [IDTYPE: (name: UnsafeMutablePointer<CChar>, holders: Int)] = [:]
        var nextNamed: IDTYPE = 2
        var nextAnonymous: IDTYPE = 1

        init(graph: UnsafeMutablePointer<Agraph_t>) {
            self.graph = graph
        }

        static func from(_ state: UnsafeMutableRawPointer) -> Table {
            Unmanaged<Table>.fromOpaque(state).takeUnretainedValue()
        }

        /// Looks a name up (`create` false) or gives it an ID, a new one the first time
        /// (`create` true; the object then holds a reference to the interned name, as
        /// with cgraph's own discipline). No name: a new anonymous ID.
        func map(_ name: UnsafeMutablePointer<CChar>?, to id: UnsafeMutablePointer<IDTYPE>, create: Bool) -> Bool {
            guard let name else {
                guard create else { return false }
                id.pointee = nextAnonymous
                nextAnonymous += 2
                return true
            }
            guard create else {
                guard let interned = agstrbind(graph, name), let known = idByName[interned] else { return false }
                id.pointee = known
                return true
            }
            guard let interned = agstrdup(graph, name) else { return false }
            let assigned: IDTYPE
            if let known = idByName[interned] {
                assigned = known
            } else {
                assigned = nextNamed
                nextNamed += 2
                idByName[interned] = assigned
            }
            nameByID[assigned, default: (interned, 0)].holders += 1
            id.pointee = assigned
            return true
        }

        /// An object gave its ID back: drop its reference to the name.
        func release(_ id: IDTYPE) {
            guard let entry = nameByID[id] else { return }
            if entry.holders <= 1 {
                nameByID[id] = nil
                idByName[entry.name] = nil
            } else {
                nameByID[id]?.holders -= 1
            }
            #if GRAPHVIZ_13
            // Graphviz ≥ 13.0 keeps text and HTML-like strings apart; agstrdup made this
            // name, as text unless the name passed in was itself an HTML string.
            _ = agstrfree(graph, entry.name, aghtmlstr(entry.name) != 0)
            #else
            _ = agstrfree(graph, entry.name)
            #endif
        }

        func name(of id: IDTYPE) -> UnsafeMutablePointer<CChar>? {
            nameByID[id]?.name
        }
    }
}
