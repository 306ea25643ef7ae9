/// The industrial system a plan organises its chains into (产业体系: 001 "1+1+N", 000
/// "3+3", 003 "4+1"), from `system.yaml` in a chains directory: each chain's tier (首位产业,
/// 主导产业, 新兴产业, 未来产业, or the plan's own words), its role, and its goals.
public struct SystemPlan: Hashable, Sendable {
    /// A goal a plan sets for a chain, with the way chainmap computes its actual value.
    public enum Goal: String, CaseIterable, Hashable, Sendable {
        /// 产值, 亿元: the local enterprises' revenue, summed.
        case output = "产值"
        /// 引资, 亿元: the agreed investment of the projects signed in the year.
        case investment = "引资"
        /// 三类500强 attracted: 世界500强, 中国500强, 民营500强.
        case fortune500 = "三类500强"
        /// 上市公司 attracted.
        case listed = "上市公司"
        /// 专精特新 attracted.
        case specialised = "专精特新"
        /// 外资 enterprises attracted.
        case foreign = "外资"

        /// The English key in `system.yaml`.
        public var key: String {
            switch self {
            case .output: "output"
            case .investment: "investment"
            case .fortune500: "fortune-500"
            case .listed: "listed"
            case .specialised: "specialised"
            case .foreign: "foreign"
            }
        }

        /// The unit beside a figure.
        public var unit: String { self == .output || self == .investment ? "亿元" : "家" }

        /// Whether the goal counts enterprises (a whole number).
        public var isCount: Bool { self != .output && self != .investment }

        /// The tiers (``TierTable/standard``) an attracted enterprise must be in to count.
        public var tiers: [String] {
            switch self {
            case .fortune500: ["世界500强", "中国500强", "民营500强"]
            case .listed: ["上市公司"]
            case .specialised: ["专精特新"]
            case .foreign: ["外资企业"]
            case .output, .investment: []
            }
        }

        /// How the actual value is found, in a phrase for the overview's note.
        public var rule: String {
            switch self {
            case .output: "产业链文件所列本地企业的营收合计（近似产值；摸排名录落位待核实，不计入）"
            case .investment: "当年签约项目的协议投资额（有项目台账时），否则为产业链文件中已签约线索的意向投资"
            default: "已签约、开工、投产的项目中带「\(tiers.joined(separator: "、"))」标签的企业（每家一次）"
            }
        }
    }

    /// One chain's place in the system.
    public struct ChainPlan: Hashable, Sendable {
        public var chain: String
        public var tier: String
        /// Its role in the plan's words (龙头带动, 培育壮大 …), if given.
        public var role: String?
        public var goals: [Goal: Double]
        public var location: FileLocation
    }

    /// The default tiers, in the order the overview lists them.
    public static let standardTiers = ["首位产业", "主导产业", "新兴产业", "未来产业"]

    /// The system's name ("1+1+N" 现代产业体系), if given.
    public var title: String?
    /// The tiers in order: the file's own words (`tiers:`), else ``standardTiers``.
    public var tiers: [String]
    /// The chains, in file order.
    public var chains: [ChainPlan]
    public var file: String

    /// The plan of a chain, if the system names it.
    public func plan(of chainID: String) -> ChainPlan? { chains.first { $0.chain == chainID } }
}
