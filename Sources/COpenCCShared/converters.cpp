// A C face over OpenCC's converters, opened so that they cost little at start.
//
// 1. Shared dictionaries. opencc_open makes a new opencc::Config for every configuration,
//    and each loads its own copy of the dictionaries; opened together, s2t, s2tw, s2twp
//    and s2hk load STPhrases.ocd2 once.
// 2. Dictionaries read as they are asked. OpenCC's MarisaDict builds a DictEntry for
//    every key of a dictionary when it opens it: for STPhrases (49,051 keys) that is
//    about 20 ms, twice a process's whole start, to convert a chain's few hundred
//    keywords. LazyDictionary reads the same .ocd2 file (a marisa trie of the keys, then
//    the values in key order) without building anything: it reads the trie and the
//    values, keeps where every 16th key's values start, and makes a key's DictEntry the
//    first time it matches.
//    The segmentation, conversions and chain are OpenCC's own classes, built from the
//    configuration file as opencc::Config builds them, so the text is converted by
//    OpenCC's code; a test converts every key of the dictionaries both ways.
//    A configuration this reader does not know (a dictionary type other than ocd2 and
//    group, a file not in the configuration's directory) is opened by opencc::Config
//    instead, as before. A dictionary file this reader finds damaged is not handed to
//    opencc::Config, which reads such a file past its buffers: the configuration is left
//    out, as OpenCC leaves out one it cannot read.
// 3. Steps converted once. s2t, s2tw, s2twp and s2hk all segment with STPhrases, then
//    convert with STPhrases and STCharacters; chainmap_opencc_convert_each converts the
//    steps that converters opened together share once, then each one's own steps. A
//    small dictionary (TWVariants, HKVariants, TWPhrases, STCharacters) passes over
//    characters that none of its keys starts with, without searching its trie.
#include "opencc_shared.h"

#include <opencc/Config.hpp>
#include <opencc/Conversion.hpp>
#include <opencc/ConversionChain.hpp>
#include <opencc/Converter.hpp>
#include <opencc/Dict.hpp>
#include <opencc/DictEntry.hpp>
#include <opencc/DictGroup.hpp>
#include <opencc/Lexicon.hpp>
#include <opencc/MarisaDict.hpp>
#include <opencc/MaxMatchSegmentation.hpp>
#include <opencc/TextDict.hpp>

#include <marisa.h>
#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

namespace {

struct Handle {
    opencc::ConverterPtr converter;
};

/// A converter's steps: its segmentation, then each conversion. Converters opened
/// together by LazyConfig share a dictionary that they describe alike, so steps that
/// begin alike compare by their dictionaries' addresses (chainmap_opencc_convert_each);
/// opencc::Config's converters share none.
struct Steps {
    /// nil for a segmentation other than OpenCC's mmseg.
    std::shared_ptr<opencc::MaxMatchSegmentation> segmentation;
    std::list<opencc::ConversionPtr> conversions;

    explicit Steps(const opencc::Converter &converter)
        : segmentation(std::dynamic_pointer_cast<opencc::MaxMatchSegmentation>(converter.GetSegmentation())),
          conversions(converter.GetConversionChain()->GetConversions()) {}
};

/// Where the installed OpenCC's configurations and dictionaries are: pkg-config's
/// prefix of OpenCC, when Package.swift found one, else Debian's.
#ifdef CHAINMAP_OPENCC_DATA
const char *const dataDirectory = CHAINMAP_OPENCC_DATA;
#else
const char *const dataDirectory = "/usr/share/opencc/";
#endif

/// A configuration or file this reader does not take: opencc::Config is asked instead.
struct Unknown : std::runtime_error {
    using std::runtime_error::runtime_error;
};

/// A dictionary file that is not a whole .ocd2 file: its configuration is left out.
struct Damaged : std::runtime_error {
    using std::runtime_error::runtime_error;
};

/// The largest file read: OpenCC's largest dictionary is under 1 MB.
const long largestFile = 64L << 20;

/// Memory for a file's bytes. A large block is mapped with its pages made at once
/// (MAP_POPULATE): faulted in one by one as `read` filled them, STPhrases' 700 KB of
/// values cost 0.4 ms, as long as the rest of opening the dictionary.
struct Bytes {
    char *data = nullptr;
    size_t size = 0;
    bool mapped = false;

    explicit Bytes(size_t size) : size(size) {
        if (size >= (64 << 10)) {
            void *block = ::mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
            if (block != MAP_FAILED) {
                data = static_cast<char *>(block);
                mapped = true;
                return;
            }
        }
        data = new char[size];
    }

    ~Bytes() {
        if (mapped) {
            ::munmap(data, size);
        } else {
            delete[] data;
        }
    }

    Bytes(Bytes &&other) noexcept : data(other.data), size(other.size), mapped(other.mapped) {
        other.data = nullptr;
        other.mapped = false;
    }

    Bytes &operator=(Bytes &&other) noexcept {
        std::swap(data, other.data);
        std::swap(size, other.size);
        std::swap(mapped, other.mapped);
        return *this;
    }

    Bytes(const Bytes &) = delete;
    Bytes &operator=(const Bytes &) = delete;
};

/// A file opened for reading, at most `largestFile` bytes; closed with the object. Read
/// into memory rather than mapped: a file changed on disk while open cannot then fault or
/// change what was checked. Throws Unknown when it cannot be opened, Damaged when it is
/// no regular file of a size this reader takes.
class OpenFile {
public:
    explicit OpenFile(const std::string &path) : path(path) {
        descriptor = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
        if (descriptor < 0) throw Unknown("cannot open " + path);
        struct stat status;
        if (::fstat(descriptor, &status) != 0 || !S_ISREG(status.st_mode) || status.st_size > largestFile) {
            ::close(descriptor);
            throw Damaged("not a file of the expected size: " + path);
        }
        size = static_cast<size_t>(status.st_size);
    }

    ~OpenFile() { ::close(descriptor); }

    OpenFile(const OpenFile &) = delete;
    OpenFile &operator=(const OpenFile &) = delete;

    /// The next `count` bytes, all of them, placed `lead` bytes into the memory (which
    /// starts aligned, as `new` and `mmap` align), and a NUL. Throws Damaged when the
    /// file has fewer.
    Bytes read(size_t count, size_t lead = 0) const {
        Bytes bytes(lead + count + 1);
        char *const start = bytes.data + lead;
        size_t done = 0;
        while (done < count) {
            const ssize_t got = ::read(descriptor, start + done, count - done);
            if (got < 0 && errno == EINTR) continue;
            if (got <= 0) throw Damaged("cannot read " + path);
            done += static_cast<size_t>(got);
        }
        start[count] = '\0';
        return bytes;
    }

    const std::string path;
    int descriptor = -1;
    size_t size = 0;
};

/// An .ocd2 file, read whole with one `read`: its header, the marisa trie of its keys,
/// then the rest (the values). The trie is mapped where it lies (marisa::Trie::map), not
/// read: marisa's reading from a descriptor makes a `read` call for every field and array
/// of the trie, about 140 for each of OpenCC's dictionaries (700 for the five a roster's
/// keywords are converted with). marisa writes a trie's arrays 8-byte aligned from the
/// trie's start, so the file is placed with the trie's first byte on an 8-byte boundary;
/// mapping checks every size against the bytes there are, as reading does. Throws
/// Damaged on a file that is not one.
struct TrieFile {
    /// The whole file, from `lead` bytes in: the trie maps its arrays in these bytes,
    /// which are declared first so that they outlive it.
    Bytes bytes{0};
    marisa::Trie trie;
    /// The bytes after the trie, and how many.
    const char *rest = nullptr;
    size_t restSize = 0;

    explicit TrieFile(const std::string &path) {
        const OpenFile file(path);
        const size_t headerLength = std::strlen(header);
        const size_t lead = (8 - headerLength % 8) % 8;
        if (file.size < headerLength) throw Damaged("not an OpenCC dictionary: " + path);
        bytes = file.read(file.size, lead);
        const char *const start = bytes.data + lead;
        if (std::memcmp(start, header, headerLength) != 0) throw Damaged("not an OpenCC dictionary: " + path);
        try {
            trie.map(start + headerLength, file.size - headerLength);
        } catch (const marisa::Exception &error) {
            throw Damaged("not a marisa trie in " + path + ": " + error.what());
        }
        // Where the trie ends is where the values start, as in OpenCC's own reading.
        const size_t position = headerLength + trie.io_size();
        if (position > file.size) throw Damaged("truncated trie in " + path);
        rest = start + position;
        restSize = file.size - position;
    }

    TrieFile(const TrieFile &) = delete;
    TrieFile &operator=(const TrieFile &) = delete;

    static constexpr const char *header = "OPENCC_MARISA_0.2.5";
};

/// An OpenCC .ocd2 dictionary that makes its entries as they match (see the top of the
/// file). Matches as opencc::MarisaDict does for any dictionary whose keys hold no line
/// break (every dictionary built from OpenCC's text files, one entry a line); thread-safe,
/// as that one is: converters sharing it convert side by side.
class LazyDictionary final : public opencc::Dict {
public:
    /// Reads an .ocd2 file. Throws Damaged on a file that is not one, before anything
    /// matches.
    explicit LazyDictionary(const std::string &path) : file(path) {
        // The values (SerializedValues), after the trie: an item count, the
        // NUL-terminated values one after the other, then for each item its number of
        // values and their lengths.
        const unsigned char *cursor = reinterpret_cast<const unsigned char *>(file.rest);
        const unsigned char *end = cursor + file.restSize;
        const uint32_t items = readInteger<uint32_t>(cursor, end);
        const uint32_t valueLength = readInteger<uint32_t>(cursor, end);
        if (static_cast<size_t>(end - cursor) < valueLength) throw Damaged("truncated values in " + path);
        if (items != file.trie.num_keys()) throw Damaged("keys and values disagree in " + path);
        values = reinterpret_cast<const char *>(cursor);
        valuesLength = valueLength;
        cursor += valueLength;
        table = cursor;
        // Every item's lengths checked once; where every `step`-th item starts kept.
        marks.reserve(items / step + 1);
        size_t valueOffset = 0;
        for (uint32_t item = 0; item < items; item++) {
            if (item % step == 0) marks.push_back({static_cast<uint32_t>(cursor - table), static_cast<uint32_t>(valueOffset)});
            const uint16_t count = readInteger<uint16_t>(cursor, end);
            for (uint16_t i = 0; i < count; i++) valueOffset += readInteger<uint16_t>(cursor, end);
            if (valueOffset > valuesLength) throw Damaged("values past their buffer in " + path);
        }
        made.reset(new std::atomic<Block *>[blocks()]());
        if (items <= filteredKeys) starts = firstCharacters(trie);
    }

    ~LazyDictionary() {
        for (size_t b = 0; b < blocks(); b++) {
            Block *block = made[b].load(std::memory_order_relaxed);
            if (block == nullptr) continue;
            for (auto &slot : block->entries) delete slot.load(std::memory_order_relaxed);
            delete block;
        }
    }

    /// No bound is known without walking every key (7 ms for STPhrases), and none is
    /// needed: the matches below read a word up to its NUL or line break and as far as
    /// the trie goes.
    size_t KeyMaxLength() const override { return std::numeric_limits<size_t>::max(); }

    opencc::Optional<const opencc::DictEntry *> Match(const char *word, size_t len) const override {
        marisa::Agent &agent = threadAgent();
        agent.set_query(word, len);
        if (!trie.lookup(agent)) return opencc::Optional<const opencc::DictEntry *>::Null();
        return opencc::Optional<const opencc::DictEntry *>(entry(agent.key().id(), agent.key().ptr(), agent.key().length()));
    }

    opencc::Optional<const opencc::DictEntry *> MatchPrefix(const char *word, size_t len) const override {
        // The longest key: its entry alone is made.
        size_t id = 0;
        const char *key = nullptr;
        size_t length = 0;
        prefixes(word, len, [&](size_t foundID, const char *foundKey, size_t foundLength) {
            id = foundID;
            key = foundKey;
            length = foundLength;
        });
        if (key == nullptr) return opencc::Optional<const opencc::DictEntry *>::Null();
        return opencc::Optional<const opencc::DictEntry *>(entry(id, key, length));
    }

    std::vector<const opencc::DictEntry *> MatchAllPrefixes(const char *word, size_t len) const override {
        std::vector<const opencc::DictEntry *> matches;
        prefixes(word, len, [&](size_t id, const char *key, size_t length) { matches.push_back(entry(id, key, length)); });
        std::reverse(matches.begin(), matches.end());
        return matches;
    }

    /// Every entry, in key order as MarisaDict's, made the first time it is asked for
    /// (OpenCC 1.1 asks for it only to write a dictionary out, which chainmap never does).
    opencc::LexiconPtr GetLexicon() const override {
        std::call_once(lexiconMade, [this] {
            std::vector<std::unique_ptr<opencc::DictEntry>> all(trie.num_keys());
            marisa::Agent agent;
            agent.set_query("");
            while (trie.predictive_search(agent)) {
                const size_t id = agent.key().id();
                all[id].reset(opencc::DictEntryFactory::New(std::string(agent.key().ptr(), agent.key().length()), valuesOf(id)));
            }
            lexicon.reset(new opencc::Lexicon(std::move(all)));
        });
        return lexicon;
    }

private:
    /// This thread's search state, kept for every search the thread makes (each
    /// `set_query` starts a new one): a new `marisa::Agent` allocated its state at its
    /// first search and freed it after, twice per character converted. `found` (in
    /// `prefixes`) makes entries and never searches, so no search runs inside another.
    static marisa::Agent &threadAgent() {
        thread_local marisa::Agent agent;
        return agent;
    }

    TrieFile file;
    const marisa::Trie &trie = file.trie;
    const char *values = nullptr;  // in file.rest
    size_t valuesLength = 0;
    const unsigned char *table = nullptr;  // each item's count and lengths, in file.rest
    /// Where the table and the values of every `step`-th item start.
    struct Mark {
        uint32_t table;
        uint32_t value;
    };
    static constexpr uint32_t step = 16;
    std::vector<Mark> marks;
    /// The entries made, by key id in blocks made as they are first needed (a dictionary's
    /// few matched keys touch few of them); each slot set once, by whichever thread
    /// makes its entry first.
    static constexpr size_t blockSize = 512;
    struct Block {
        std::atomic<opencc::DictEntry *> entries[blockSize] = {};
    };
    std::unique_ptr<std::atomic<Block *>[]> made;
    size_t blocks() const { return trie.num_keys() / blockSize + 1; }
    mutable std::once_flag lexiconMade;
    mutable opencc::LexiconPtr lexicon;

    /// The first characters of the keys of a dictionary of at most `filteredKeys` keys,
    /// one bit per code point U+0000–U+FFFF (a 1-, 2- or 3-byte UTF-8 sequence); empty
    /// when not made. A search of the trie costs about 0.4 µs a character, and OpenCC's
    /// Taiwan and Hong Kong dictionaries start with few characters (TWVariants: 39 keys,
    /// HKVariants 63, TWPhrases 323 first characters of 509 keys; STCharacters 3,112 of
    /// 3,980), so most characters are passed without one. Walking the keys to make it
    /// takes 0.1 ms for STCharacters; STPhrases (49,051 keys, 8 ms) has none.
    static constexpr size_t filteredKeys = 8192;
    std::vector<uint64_t> starts;

    /// How many bytes a character that starts with `lead` has, for the characters the
    /// filter reads: 1 to 3; 0 for a lead of 4 bytes or a byte that is no lead, where the
    /// trie is always searched.
    static size_t sequenceLength(unsigned char lead) {
        if (lead < 0x80) return 1;
        if (lead >= 0xC0 && lead < 0xE0) return 2;
        if (lead >= 0xE0 && lead < 0xF0) return 3;
        return 0;
    }

    /// The code point of `count` bytes from `sequenceLength`, read as UTF-8 without
    /// checking the continuation bytes: the same bytes give the same number, all a filter
    /// needs (a malformed sequence that reads as another character only costs a search).
    static uint32_t codePoint(const unsigned char *bytes, size_t count) {
        switch (count) {
        case 1: return bytes[0];
        case 2: return (uint32_t(bytes[0] & 0x1F) << 6) | uint32_t(bytes[1] & 0x3F);
        default: return (uint32_t(bytes[0] & 0x0F) << 12) | (uint32_t(bytes[1] & 0x3F) << 6) | uint32_t(bytes[2] & 0x3F);
        }
    }

    /// The bits of every key's first character, or none when some key is shorter than
    /// its first character's sequence (a key that the filter could not read whole).
    static std::vector<uint64_t> firstCharacters(const marisa::Trie &trie) {
        std::vector<uint64_t> bits(0x10000 / 64);
        marisa::Agent agent;
        agent.set_query("");
        while (trie.predictive_search(agent)) {
            const unsigned char *key = reinterpret_cast<const unsigned char *>(agent.key().ptr());
            const size_t length = agent.key().length();
            if (length == 0) continue;  // an empty key is never a match (see prefixes)
            const size_t need = sequenceLength(key[0]);
            if (need == 0) continue;  // such characters are always searched
            if (length < need) return {};
            const uint32_t character = codePoint(key, need);
            bits[character >> 6] |= uint64_t(1) << (character & 63);
        }
        return bits;
    }

    template <typename Integer> static Integer readInteger(const unsigned char *&cursor, const unsigned char *end) {
        if (static_cast<size_t>(end - cursor) < sizeof(Integer)) throw Damaged("truncated OpenCC dictionary");
        Integer value;
        std::memcpy(&value, cursor, sizeof value);
        cursor += sizeof value;
        return value;
    }

    /// The values of key `id`, each up to its NUL, as SerializedValues reads them.
    std::vector<std::string> valuesOf(size_t id) const {
        // From the mark before it, the items' counts and lengths (checked when opened).
        const Mark &mark = marks[id / step];
        const unsigned char *cursor = table + mark.table;
        size_t offset = mark.value;
        for (size_t item = id - id % step; item < id; item++) {
            const uint16_t count = nextSixteen(cursor);
            for (uint16_t i = 0; i < count; i++) offset += nextSixteen(cursor);
        }
        const uint16_t count = nextSixteen(cursor);
        std::vector<std::string> result;
        result.reserve(count);
        for (uint16_t i = 0; i < count; i++) {
            const char *value = values + offset;
            result.emplace_back(value, strnlen(value, valuesLength - offset));
            offset += nextSixteen(cursor);
        }
        return result;
    }

    /// The table's next 16-bit integer (a count or a length), within what the
    /// constructor checked.
    static uint16_t nextSixteen(const unsigned char *&cursor) {
        uint16_t value;
        std::memcpy(&value, cursor, sizeof value);
        cursor += sizeof value;
        return value;
    }

    /// The entry of key `id`, made the first time it is asked for and kept. Two threads
    /// that both make it (or its block) keep the first; the other's is deleted.
    const opencc::DictEntry *entry(size_t id, const char *key, size_t length) const {
        std::atomic<Block *> &blockSlot = made[id / blockSize];
        Block *block = blockSlot.load(std::memory_order_acquire);
        if (block == nullptr) {
            std::unique_ptr<Block> fresh(new Block);
            if (blockSlot.compare_exchange_strong(block, fresh.get(), std::memory_order_acq_rel, std::memory_order_acquire))
                block = fresh.release();
        }
        std::atomic<opencc::DictEntry *> &slot = block->entries[id % blockSize];
        if (opencc::DictEntry *known = slot.load(std::memory_order_acquire)) return known;
        std::unique_ptr<opencc::DictEntry> fresh(opencc::DictEntryFactory::New(std::string(key, length), valuesOf(id)));
        opencc::DictEntry *expected = nullptr;
        if (slot.compare_exchange_strong(expected, fresh.get(), std::memory_order_acq_rel, std::memory_order_acquire))
            return fresh.release();
        return expected;
    }

    /// Calls `found` with each key that is a prefix of `word` (its first `len` bytes, up
    /// to a NUL or a line break), shortest first. The word is read in windows: a longer
    /// one only when some key starts with the whole window, so a long text costs no more
    /// per position than its longest key.
    template <typename Found> void prefixes(const char *word, size_t len, Found found) const {
        if (!starts.empty() && len > 0) {
            // No key starts with this character: nothing to search. The character is read
            // only up to a NUL and within `len`, as the search reads the word.
            const unsigned char *bytes = reinterpret_cast<const unsigned char *>(word);
            const size_t need = sequenceLength(bytes[0]);
            if (need != 0 && need <= len) {
                size_t read = 1;
                while (read < need && bytes[read] != 0) read++;
                if (read == need) {
                    const uint32_t character = codePoint(bytes, need);
                    if (((starts[character >> 6] >> (character & 63)) & 1) == 0) return;
                }
            }
        }
        size_t window = 64;
        size_t searched = 0;
        marisa::Agent &agent = threadAgent();
        for (;;) {
            size_t limit = strnlen(word, std::min(len, window));
            // No key holds a line break (OpenCC builds its dictionaries from lines of
            // text), so none reaches past one: chainmap converts many words at once, one
            // per line, and a line ends inside the first window.
            const void *lineEnd = memchr(word + searched, '\n', limit - searched);
            if (lineEnd) limit = static_cast<size_t>(static_cast<const char *>(lineEnd) - word);
            agent.set_query(word, limit);
            while (trie.common_prefix_search(agent)) {
                if (agent.key().length() > searched) found(agent.key().id(), agent.key().ptr(), agent.key().length());
            }
            searched = limit;
            if (lineEnd || limit < window) return;  // the word ended (line, len or NUL) inside the window
            agent.set_query(word, limit);
            if (!trie.predictive_search(agent)) return;  // no key is longer than the window
            window *= 4;
        }
    }
};

/// Builds converters from configuration files as opencc::Config does, with
/// LazyDictionary for .ocd2 files; dictionaries shared by file. A configuration is looked
/// up in OpenCC's data directory (or is a path), its dictionaries in the configuration's
/// directory (opencc::Config also looks in the working directory first). Throws Damaged
/// for a damaged dictionary, and anything else for what it does not know, so that the
/// caller opens that configuration with opencc::Config. A dictionary that two
/// configurations describe alike (a file, or a group of the same files in the same
/// order) is one object, so that their handles' steps compare.
class LazyConfig {
public:
    opencc::ConverterPtr open(const std::string &configuration) {
        const std::string path = configuration.find('/') == std::string::npos ? dataDirectory + configuration : configuration;
        const OpenFile file(path);
        const Bytes text = file.read(file.size);
        const nlohmann::json document = nlohmann::json::parse(text.data, text.data + file.size);
        if (!document.is_object()) throw Unknown("not a configuration: " + path);
        const std::string directory = path.substr(0, path.rfind('/') + 1);
        std::string name;
        if (document.contains("name") && document["name"].is_string()) name = document["name"].get<std::string>();
        const nlohmann::json &segmentation = object(document, "segmentation");
        if (segmentation.at("type").get<std::string>() != "mmseg") throw Unknown("unknown segmentation");
        std::string description;
        opencc::SegmentationPtr segments(new opencc::MaxMatchSegmentation(dictionary(object(segmentation, "dict"), directory, description)));
        const nlohmann::json &chain = document.at("conversion_chain");
        if (!chain.is_array()) throw Unknown("conversion_chain is not an array");
        std::list<opencc::ConversionPtr> conversions;
        for (const nlohmann::json &step : chain) {
            // opencc::Config skips an element that is not an object; so does this.
            if (!step.is_object()) continue;
            conversions.push_back(opencc::ConversionPtr(new opencc::Conversion(dictionary(object(step, "dict"), directory, description))));
        }
        return opencc::ConverterPtr(
            new opencc::Converter(name, segments, opencc::ConversionChainPtr(new opencc::ConversionChain(conversions))));
    }

private:
    /// The dictionaries made, by description: `f` and a file's path, or `g` and each
    /// member's description after its length and a colon. No two different dictionaries
    /// share a description, whatever their names hold (a JSON string may hold a NUL).
    std::unordered_map<std::string, opencc::DictPtr> dictionaries;

    static const nlohmann::json &object(const nlohmann::json &value, const char *name) {
        const nlohmann::json &found = value.at(name);
        if (!found.is_object()) throw Unknown(std::string(name) + " is not an object");
        return found;
    }

    /// The dictionary `node` describes; its description in `description`.
    opencc::DictPtr dictionary(const nlohmann::json &node, const std::string &directory, std::string &description) {
        const std::string type = node.at("type").get<std::string>();
        if (type == "group") {
            const nlohmann::json &members = node.at("dicts");
            if (!members.is_array()) throw Unknown("dicts is not an array");
            std::list<opencc::DictPtr> group;
            description = "g";
            for (const nlohmann::json &member : members) {
                if (!member.is_object()) throw Unknown("a dict is not an object");
                std::string memberDescription;
                group.push_back(dictionary(member, directory, memberDescription));
                description += std::to_string(memberDescription.size()) + ":" + memberDescription;
            }
            opencc::DictPtr &cached = dictionaries[description];
            if (!cached) cached.reset(new opencc::DictGroup(group));
            return cached;
        }
        if (type != "ocd2") throw Unknown("dictionary type " + type);
        const std::string path = directory + node.at("file").get<std::string>();
        description = "f" + path;
        opencc::DictPtr &cached = dictionaries[description];
        // Deleted as a LazyDictionary by the shared_ptr made from its pointer
        // (opencc::Dict has no virtual destructor).
        if (!cached) cached.reset(new LazyDictionary(path));
        return cached;
    }
};

/// `text` in memory of malloc's, NUL-terminated, for a caller in C to free(); its length
/// in `*length`. NULL when there is no memory.
char *copiedForC(const std::string &text, size_t *length) {
    char *copy = static_cast<char *>(std::malloc(text.size() + 1));
    if (copy == nullptr) return nullptr;
    std::memcpy(copy, text.data(), text.size());
    copy[text.size()] = '\0';
    *length = text.size();
    return copy;
}

} // namespace

extern "C" void chainmap_opencc_open(const char *const *configurations, int count, int lazy, void **converters,
                                     int *readers) {
    for (int i = 0; i < count; i++) {
        converters[i] = nullptr;
        if (readers != nullptr) readers[i] = 0;
    }
    try {
        LazyConfig fast;
        std::unique_ptr<opencc::Config> config;
        for (int i = 0; i < count; i++) {
            if (lazy) {
                try {
                    converters[i] = new Handle{fast.open(configurations[i])};
                    if (readers != nullptr) readers[i] = 1;
                    continue;
                } catch (const Damaged &) {
                    // OpenCC's loader would read the damaged file past its buffers.
                    if (readers != nullptr) readers[i] = -1;
                    continue;
                } catch (...) {
                    // Not a configuration this reader knows: OpenCC's loader opens it.
                }
            }
            try {
                if (!config) config.reset(new opencc::Config);
                converters[i] = new Handle{config->NewFromFile(configurations[i])};
            } catch (...) {
                // Missing or unreadable data files: this configuration is left out.
            }
        }
    } catch (...) {
        // No memory for the loaders themselves: no converter (keywords match as written).
    }
}

extern "C" char *chainmap_opencc_convert(const void *converter, const char *text, size_t length, size_t *converted) {
    try {
        return copiedForC(static_cast<const Handle *>(converter)->converter->Convert(std::string(text, length)), converted);
    } catch (...) {
        return nullptr;
    }
}

extern "C" void chainmap_opencc_convert_each(const void *const *converters, int count, const char *text, size_t length,
                                             char **outputs, size_t *lengths) {
    for (int i = 0; i < count; i++) {
        outputs[i] = nullptr;
        lengths[i] = 0;
    }
    try {
        const std::string input(text, length);
        // The segments after each run of steps converted so far, by the run's
        // dictionaries: the segmentation's, then each conversion's.
        std::map<std::vector<const opencc::Dict *>, opencc::SegmentsPtr> done;
        for (int i = 0; i < count; i++) {
            const Handle *handle = static_cast<const Handle *>(converters[i]);
            if (handle == nullptr) continue;
            try {
                const Steps steps(*handle->converter);
                if (!steps.segmentation) {
                    outputs[i] = copiedForC(handle->converter->Convert(input), &lengths[i]);
                    continue;
                }
                // As opencc::Converter::Convert: the text segmented, then each conversion
                // applied to the segments of the one before, the result joined; each run
                // of steps converted once.
                std::vector<const opencc::Dict *> run;
                opencc::SegmentsPtr segments;
                const auto step = [&](const opencc::Dict *dictionary, auto convert) {
                    run.push_back(dictionary);
                    const auto known = done.find(run);
                    segments = known != done.end() ? known->second : done.emplace(run, convert()).first->second;
                };
                step(steps.segmentation->GetDict().get(), [&] { return steps.segmentation->Segment(input); });
                for (const opencc::ConversionPtr &conversion : steps.conversions)
                    step(conversion->GetDict().get(), [&] { return conversion->Convert(segments); });
                outputs[i] = copiedForC(segments->ToString(), &lengths[i]);
            } catch (...) {
                // This converter failed (no memory): NULL, as chainmap_opencc_convert.
            }
        }
    } catch (...) {
        // No memory for the text itself: every output NULL.
        for (int i = 0; i < count; i++) {
            std::free(outputs[i]);
            outputs[i] = nullptr;
            lengths[i] = 0;
        }
    }
}

extern "C" void chainmap_opencc_close(void *converter) {
    delete static_cast<Handle *>(converter);
}

extern "C" const char *chainmap_opencc_data_directory(void) {
    return dataDirectory;
}

extern "C" char *chainmap_opencc_dictionary_keys(const char *path, size_t *length) {
    try {
        TrieFile file(path);
        std::string keys;
        marisa::Agent agent;
        agent.set_query("");
        while (file.trie.predictive_search(agent)) {
            keys.append(agent.key().ptr(), agent.key().length());
            keys.push_back('\n');
        }
        return copiedForC(keys, length);
    } catch (...) {
        return nullptr;
    }
}

extern "C" int chainmap_opencc_compile_dictionary(const char *text, const char *ocd2) {
    try {
        FILE *input = std::fopen(text, "rb");
        if (input == nullptr) return 0;
        std::unique_ptr<FILE, int (*)(FILE *)> closer(input, std::fclose);
        const opencc::TextDictPtr dictionary = opencc::TextDict::NewFromFile(input);
        FILE *output = std::fopen(ocd2, "wb");
        if (output == nullptr) return 0;
        opencc::MarisaDict::NewFromDict(*dictionary)->SerializeToFile(output);
        return std::fclose(output) == 0 ? 1 : 0;
    } catch (...) {
        return 0;
    }
}

extern "C" int chainmap_opencc_write_dictionary(const char *const *keys, const size_t *keyLengths, const char *const *values,
                                                int count, const char *ocd2) {
    try {
        opencc::LexiconPtr lexicon(new opencc::Lexicon);
        for (int i = 0; i < count; i++)
            lexicon->Add(opencc::DictEntryFactory::New(std::string(keys[i], keyLengths[i]), std::string(values[i])));
        lexicon->Sort();
        const opencc::TextDict text(lexicon);
        FILE *output = std::fopen(ocd2, "wb");
        if (output == nullptr) return 0;
        opencc::MarisaDict::NewFromDict(text)->SerializeToFile(output);
        return std::fclose(output) == 0 ? 1 : 0;
    } catch (...) {
        return 0;
    }
}

extern "C" int chainmap_opencc_steps(const void *converter, const void **steps, int capacity) {
    const Steps found(*static_cast<const Handle *>(converter)->converter);
    if (!found.segmentation) return 0;
    std::vector<const opencc::Dict *> dictionaries{found.segmentation->GetDict().get()};
    for (const opencc::ConversionPtr &conversion : found.conversions) dictionaries.push_back(conversion->GetDict().get());
    const int count = static_cast<int>(dictionaries.size());
    for (int i = 0; i < count && i < capacity; i++) steps[i] = dictionaries[i];
    return count;
}
