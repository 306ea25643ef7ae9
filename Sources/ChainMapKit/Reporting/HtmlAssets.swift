/// The style sheet and the script of the report's web page, inlined into every page: no
/// font, image or script is fetched, so the page works on an offline intranet.
enum HtmlAssets {
    /// The font stack: Chinese fonts of Linux, Windows and macOS, then any sans-serif.
    static let fontStack = "\"Noto Sans CJK SC\", \"Source Han Sans SC\", \"WenQuanYi Micro Hei\", \"Microsoft YaHei\", \"PingFang SC\", \"Hiragino Sans GB\", sans-serif"

    /// The colours of the kinds, from the map's theme, as CSS custom properties.
    static func themeVariables(_ theme: MapTheme) -> String {
        var css = ":root{"
        for status in LinkStatus.allCases {
            let key = status.key
            let look = theme.look(status)
            css += "--\(key)-bg:\(cssColour(look.fill));--\(key)-bd:\(cssColour(look.border));"
        }
        return css + "}\n"
    }

    /// A colour from a chain file's `style:` made safe for CSS: `#RRGGBB` and colour
    /// names pass, anything else becomes grey.
    static func cssColour(_ text: String) -> String {
        let allowed = text.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "#") }
        return allowed && !text.isEmpty ? text : "#888888"
    }

    static let styleSheet = """
    *{box-sizing:border-box}
    html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
    body{margin:0;background:#eef1f5;color:#1f2933;font-family:\(fontStack);font-size:15px;line-height:1.75;letter-spacing:.01em}
    .page{max-width:1180px;margin:24px auto;background:#fff;padding:44px 56px 56px;border:1px solid #dfe4ea;border-radius:4px}
    a{color:#1f5fa8;text-decoration:none}
    a:hover{text-decoration:underline}
    header.cover{border-bottom:3px solid #1f4e79;padding-bottom:16px;margin-bottom:22px}
    .kicker{color:#1f4e79;font-size:13px;letter-spacing:.25em;font-weight:600}
    h1{font-size:30px;line-height:1.35;margin:8px 0 6px;letter-spacing:.04em;color:#102a43}
    .subtitle{color:#52606d;font-size:15px}
    h2{font-size:22px;line-height:1.4;margin:0 0 14px;padding:4px 0 8px 14px;border-left:6px solid #1f4e79;border-bottom:1px solid #d9e2ec;color:#102a43}
    h3{font-size:17px;margin:22px 0 8px;color:#243b53}
    p{margin:8px 0 12px;text-align:justify}
    .note{color:#52606d;font-size:13.5px}
    .note.warn{color:#b42318}
    nav.toc{background:#f5f7fa;border:1px solid #e4e7eb;border-radius:4px;padding:10px 18px;margin:0 0 28px}
    nav.toc ol{margin:0;padding:0;list-style:none;display:flex;flex-wrap:wrap;gap:4px 22px}
    nav.toc a{color:#243b53}
    section.chapter{margin:0 0 40px}
    .kpis{display:grid;grid-template-columns:repeat(4,1fr);gap:10px;margin:14px 0 16px}
    .kpi{border:1px solid #d9e2ec;border-radius:6px;padding:10px 12px;background:#f8fafc}
    .kpi .label{font-size:13px;color:#52606d}
    .kpi .value{font-size:26px;font-weight:700;line-height:1.3;color:#102a43;font-variant-numeric:tabular-nums}
    .kpi .value small{font-size:13px;font-weight:400;color:#52606d;margin-left:3px}
    .kpi .detail{font-size:12px;color:#7b8794}
    .kpi.k-fill{background:var(--fill-bg);border-color:var(--fill-bd)}
    .kpi.k-strengthen{background:var(--strengthen-bg);border-color:var(--strengthen-bd)}
    .kpi.k-extend{background:var(--extend-bg);border-color:var(--extend-bd)}
    .kpi.k-distant{background:var(--distant-bg);border-color:var(--distant-bd)}
    .kpi.k-covered{background:var(--covered-bg);border-color:var(--covered-bd)}
    table{width:100%;border-collapse:collapse;margin:8px 0 18px;font-size:14px;line-height:1.6}
    caption{caption-side:top;text-align:left;font-weight:600;color:#243b53;padding:0 0 6px}
    th,td{border:1px solid #d9e2ec;padding:6px 8px;vertical-align:top;text-align:left;overflow-wrap:anywhere}
    thead th{background:#e8eef5;color:#102a43;font-weight:600;white-space:nowrap;vertical-align:middle;padding:6px 5px}
    tbody tr:nth-child(even) td{background:#fafbfd}
    td.num,th.num{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}
    td.nowrap{white-space:nowrap}
    td.task{min-width:8em}
    td.name{font-weight:600;color:#102a43;min-width:7.5em}
    ul.reasons{margin:0;padding-left:1.1em}
    ul.reasons li{margin:0}
    .badge{display:inline-block;padding:0 7px;border-radius:10px;font-size:12.5px;line-height:1.65;white-space:nowrap;border:1px solid;font-weight:600}
    .k-covered.badge{background:var(--covered-bg);border-color:var(--covered-bd);color:var(--covered-bd)}
    .k-strengthen.badge{background:var(--strengthen-bg);border-color:var(--strengthen-bd);color:var(--strengthen-bd)}
    .k-fill.badge{background:var(--fill-bg);border-color:var(--fill-bd);color:var(--fill-bd)}
    .k-extend.badge{background:var(--extend-bg);border-color:var(--extend-bd);color:var(--extend-bd)}
    .k-distant.badge{background:var(--distant-bg);border-color:var(--distant-bd);color:var(--distant-bd)}
    .role{display:inline-block;margin-left:6px;padding:0 6px;border-radius:3px;font-size:12.5px;background:#fdf3d8;color:#8a6100;border:1px solid #e8c96a;white-space:nowrap}
    .tag{display:inline-block;margin:1px 4px 1px 0;padding:0 6px;border-radius:3px;font-size:12px;background:#eef2f7;color:#334e68;white-space:nowrap}
    .muted{color:#9aa5b1}
    .toolbar{display:flex;flex-wrap:wrap;align-items:center;gap:8px 18px;margin:6px 0 4px;padding:8px 12px;background:#f5f7fa;border:1px solid #e4e7eb;border-radius:4px;font-size:14px}
    .toolbar select{font:inherit;font-size:14px;padding:2px 6px;border:1px solid #bcccdc;border-radius:3px;background:#fff}
    .toolbar button{font:inherit;font-size:13px;padding:2px 10px;border:1px solid #bcccdc;border-radius:3px;background:#fff;cursor:pointer}
    .toolbar .count{margin-left:auto;color:#52606d}
    th[data-sort]{cursor:pointer;user-select:none}
    th[data-sort]::after{content:"⇅";color:#9aa5b1;font-size:11px;margin-left:4px}
    th[aria-sort=ascending]::after{content:"▲";color:#1f4e79}
    th[aria-sort=descending]::after{content:"▼";color:#1f4e79}
    th[data-sort]:focus-visible{outline:2px solid #1f5fa8;outline-offset:-2px}
    figure.map{position:relative;left:50%;transform:translateX(-50%);width:calc(100vw - 64px);max-width:1900px;min-width:100%;margin:10px 0 8px;border:1px solid #d9e2ec;border-radius:4px;padding:8px;background:#fff;overflow:auto}
    figure.map svg{display:block;width:100%;height:auto}
    figure.map.natural svg{width:auto;max-width:none}
    figure.map svg g.link{cursor:pointer}
    figure.map svg g.link:hover,figure.map svg g.link.active{filter:drop-shadow(0 0 4px rgba(16,42,67,.55))}
    figure.map figcaption{font-size:13px;color:#52606d;padding:6px 4px 0}
    .map-tools{display:flex;gap:10px;align-items:center;font-size:13px;color:#52606d;margin:0 0 6px}
    .map-tools button{font:inherit;font-size:13px;padding:1px 10px;border:1px solid #bcccdc;border-radius:3px;background:#fff;cursor:pointer}
    .map-missing{padding:24px;border:1px dashed #c62828;color:#c62828;border-radius:4px;background:#fff5f5}
    .tip{position:fixed;z-index:10;max-width:420px;background:#fff;border:1px solid #9fb3c8;border-radius:6px;box-shadow:0 6px 24px rgba(16,42,67,.22);padding:10px 14px;font-size:13.5px;line-height:1.6;pointer-events:none}
    .tip h4{margin:0 0 4px;font-size:15px;color:#102a43}
    .tip .meta{color:#52606d;margin-bottom:4px}
    .tip ul{margin:2px 0 4px;padding-left:1.1em}
    .tip .sub{font-weight:600;color:#243b53;margin-top:4px}
    tr.flash td{animation:flash 1.6s ease-out}
    @keyframes flash{from{background:#fff3bf}to{background:inherit}}
    .gap-group td.gap-cell{background:#fbfcfe}
    .roadmap{display:grid;grid-template-columns:repeat(3,1fr);gap:0;margin:12px 0 20px}
    .phase{position:relative;padding:0 0 0 0}
    .phase .head{position:relative;color:#fff;font-weight:700;padding:8px 18px 8px 26px;font-size:16px;clip-path:polygon(0 0,calc(100% - 14px) 0,100% 50%,calc(100% - 14px) 100%,0 100%,14px 50%)}
    .phase:first-child .head{clip-path:polygon(0 0,calc(100% - 14px) 0,100% 50%,calc(100% - 14px) 100%,0 100%);padding-left:16px}
    .phase.k-fill .head{background:var(--fill-bd)}
    .phase.k-strengthen .head{background:var(--strengthen-bd)}
    .phase.k-extend .head{background:var(--extend-bd)}
    .phase .head small{font-weight:400;opacity:.9;margin-left:6px}
    .phase .body{padding:10px 12px 6px;margin:6px 6px 0 0;border:1px solid #d9e2ec;border-radius:4px;min-height:120px;font-size:13.5px}
    .phase.k-fill .body{background:var(--fill-bg)}
    .phase.k-strengthen .body{background:var(--strengthen-bg)}
    .phase.k-extend .body{background:var(--extend-bg)}
    .phase .goal{color:#334e68;margin:0 0 8px;text-align:justify}
    .chip{display:inline-block;margin:2px 4px 2px 0;padding:1px 8px;border-radius:12px;background:#fff;border:1px solid #bcccdc;font-size:13px;white-space:nowrap}
    .chip b{font-weight:600;color:#7b8794;margin-left:4px;font-size:11.5px}
    .chip.k-distant{border-style:dotted;color:#52606d}
    .kpi .flag{font-size:12px;font-weight:600;margin-left:8px;padding:1px 6px;border-radius:3px;vertical-align:middle}
    .flag-met .flag{background:#e3f1e0;color:#2e7d32}
    .flag-behind .flag{background:#fff0c7;color:#8a5300}
    .flag-lagging .flag{background:#fcdad6;color:#b42318}
    .kpi.flag-lagging{border-color:#e8a39b}
    figure.chart{margin:10px 0 8px;border:1px solid #d9e2ec;border-radius:4px;padding:8px;background:#fff;max-width:640px}
    figure.chart.compare{max-width:760px}
    figure.chart.targets{max-width:720px}
    figure.chart svg{display:block;width:100%;height:auto}
    figure.chart figcaption{font-size:13px;color:#52606d;padding:6px 4px 0}
    .funnel{display:grid;grid-template-columns:repeat(4,1fr);gap:10px;margin:10px 0 18px}
    .funnel .stage{border:1px solid #d9e2ec;border-top:4px solid #1f4e79;border-radius:4px;padding:8px 12px;background:#f8fafc}
    .funnel .stage:nth-child(2){border-top-color:#3e7cb1}
    .funnel .stage:nth-child(3){border-top-color:#2e7d32}
    .funnel .stage:nth-child(4){border-top-color:#b8860b}
    .funnel .name{font-weight:700;color:#102a43}
    .funnel .num{font-size:24px;font-weight:700;color:#102a43;font-variant-numeric:tabular-nums}
    .funnel .num small{font-size:13px;font-weight:400;color:#52606d;margin-left:2px}
    .funnel .detail{font-size:12.5px;color:#52606d}
    .bar{display:inline-block;width:64px;height:8px;background:#e4e7eb;border-radius:4px;vertical-align:middle;margin-right:6px;overflow:hidden}
    .bar i{display:block;height:100%;background:#2e7d32}
    footer{margin-top:36px;padding-top:12px;border-top:1px solid #d9e2ec;color:#7b8794;font-size:13px}
    @media screen and (max-width:760px){.page{padding:20px 16px;margin:0;border:0}.kpis{grid-template-columns:repeat(2,1fr)}.roadmap,.funnel{grid-template-columns:1fr}.phase .head,.phase:first-child .head{clip-path:none}}
    @page{size:A4;margin:16mm 14mm 16mm}
    @page wide{size:A4 landscape;margin:12mm}
    @media print{
    *{-webkit-print-color-adjust:exact;print-color-adjust:exact}
    body{background:#fff;font-size:10.5pt;line-height:1.6}
    .page{max-width:none;margin:0;padding:0;border:0}
    nav.toc,.toolbar,.map-tools,.tip,.screen-only{display:none!important}
    section.chapter{break-before:page;margin:0}
    section.chapter.first{break-before:auto}
    section.chapter#map{page:wide}
    h2,h3,caption{break-after:avoid}
    tr,.kpi,.phase,.funnel .stage{break-inside:avoid}
    thead{display:table-header-group}
    table{font-size:9pt;line-height:1.5}
    th,td{padding:3px 5px}
    thead th{white-space:normal}
    th[data-sort]::after{content:none}
    figure.map{left:auto;transform:none;width:auto;max-width:none;border:0;padding:0;overflow:visible}
    figure.map svg{width:100%!important;max-height:170mm}
    a{color:inherit}
    h1{font-size:22pt}
    h2{font-size:15pt}
    h3{font-size:12pt}
    .kpi .value{font-size:17pt}
    }
    """

    /// The page's behaviour: the map's hover panel, filters and sorting. Plain ES5, no
    /// library; the page reads fully without it.
    static let script = """
    (function () {
      'use strict';
      function all(selector, root) { return Array.prototype.slice.call((root || document).querySelectorAll(selector)); }
      function el(tag, cls, text) { var e = document.createElement(tag); if (cls) { e.className = cls; } if (text !== undefined) { e.textContent = text; } return e; }

      /* Filters: every toolbar filters the table it names by the data-* attributes of its rows (or groups). */
      all('.toolbar[data-for]').forEach(function (bar) {
        var table = document.getElementById(bar.getAttribute('data-for'));
        if (!table) { return; }
        var selects = all('select[data-key]', bar);
        var count = bar.querySelector('.count');
        function items() {
          return table.tBodies.length > 1 ? Array.prototype.slice.call(table.tBodies) : Array.prototype.slice.call(table.tBodies[0].rows);
        }
        function apply() {
          var list = items(), shown = 0;
          list.forEach(function (item) {
            var ok = selects.every(function (select) {
              if (!select.value) { return true; }
              var have = ' ' + (item.getAttribute('data-' + select.getAttribute('data-key')) || '') + ' ';
              return have.indexOf(' ' + select.value + ' ') >= 0;
            });
            item.hidden = !ok;
            if (ok) { shown += 1; }
          });
          if (count) { count.textContent = '显示 ' + shown + ' / ' + list.length + ' 项'; }
        }
        selects.forEach(function (select) { select.addEventListener('change', apply); });
        var reset = bar.querySelector('button.reset');
        if (reset) { reset.addEventListener('click', function () { selects.forEach(function (s) { s.value = ''; }); apply(); }); }
        apply();
      });

      /* Sorting: click (or Enter on) a header; again to reverse. Ties keep the document order. */
      all('table.sortable').forEach(function (table) {
        var body = table.tBodies[0];
        Array.prototype.slice.call(body.rows).forEach(function (row, i) { row.setAttribute('data-order', String(i)); });
        all('th[data-sort]', table).forEach(function (th) {
          var numeric = th.getAttribute('data-sort') === 'num';
          var column = th.cellIndex;
          th.tabIndex = 0;
          function key(row) {
            var cell = row.cells[column];
            var value = cell ? cell.getAttribute('data-value') : null;
            if (value === null) { value = cell ? cell.textContent.trim() : ''; }
            return numeric ? parseFloat(value) : value;
          }
          function sort() {
            var ascending = th.getAttribute('aria-sort') !== 'ascending';
            all('th[aria-sort]', table).forEach(function (other) { other.removeAttribute('aria-sort'); });
            th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
            var rows = Array.prototype.slice.call(body.rows);
            rows.sort(function (a, b) {
              var x = key(a), y = key(b), c = 0;
              if (numeric) {
                var nx = isNaN(x), ny = isNaN(y);
                if (nx || ny) { return nx === ny ? a.getAttribute('data-order') - b.getAttribute('data-order') : (nx ? 1 : -1); }
                c = x < y ? -1 : (x > y ? 1 : 0);
              } else {
                c = String(x).localeCompare(String(y), 'zh-Hans-CN');
              }
              if (c !== 0) { return ascending ? c : -c; }
              return a.getAttribute('data-order') - b.getAttribute('data-order');
            });
            rows.forEach(function (row) { body.appendChild(row); });
          }
          th.addEventListener('click', sort);
          th.addEventListener('keydown', function (event) {
            if (event.key === 'Enter' || event.key === ' ') { event.preventDefault(); sort(); }
          });
        });
      });

      /* The map: a panel with each link's status, enterprises, reasons and leads on hover; a click goes to its row. */
      var dataNode = document.getElementById('chainmap-links');
      var tip = document.getElementById('tip');
      var figure = document.querySelector('figure.map');
      if (dataNode && tip && figure) {
        var links = JSON.parse(dataNode.textContent);
        var current = null;
        function place(event) {
          var pad = 16, w = tip.offsetWidth, h = tip.offsetHeight;
          var x = event.clientX + pad, y = event.clientY + pad;
          if (x + w > window.innerWidth - 8) { x = Math.max(8, event.clientX - w - pad); }
          if (y + h > window.innerHeight - 8) { y = Math.max(8, window.innerHeight - h - 8); }
          tip.style.left = x + 'px';
          tip.style.top = y + 'px';
        }
        function list(title, items) {
          if (!items || !items.length) { return; }
          tip.appendChild(el('div', 'sub', title));
          var ul = el('ul');
          items.forEach(function (item) { ul.appendChild(el('li', '', item)); });
          tip.appendChild(ul);
        }
        function show(link, node, event) {
          tip.textContent = '';
          var head = el('h4', '', link.name + ' ');
          head.appendChild(el('span', 'badge k-' + link.kind, link.label));
          tip.appendChild(head);
          tip.appendChild(el('div', 'meta', link.meta));
          list('本地企业', link.enterprises);
          list('原因', link.reasons);
          list('推荐目标企业', link.leads);
          tip.hidden = false;
          if (current) { current.classList.remove('active'); }
          current = node;
          node.classList.add('active');
          place(event);
        }
        function hide() {
          tip.hidden = true;
          if (current) { current.classList.remove('active'); current = null; }
        }
        links.forEach(function (link) {
          var node = document.getElementById(link.node);
          if (!node || !figure.contains(node)) { return; }
          /* The panel replaces the browser's own tooltip. */
          all('title', node).forEach(function (t) { t.parentNode.removeChild(t); });
          all('a', node).forEach(function (a) { a.removeAttribute('xlink:title'); a.removeAttribute('title'); });
          node.addEventListener('mouseenter', function (event) { show(link, node, event); });
          node.addEventListener('mousemove', place);
          node.addEventListener('mouseleave', hide);
          node.addEventListener('click', function () {
            var row = link.row && document.getElementById(link.row);
            if (!row) { return; }
            hide();
            row.scrollIntoView({ behavior: 'smooth', block: 'center' });
            row.classList.remove('flash');
            void row.offsetWidth;
            row.classList.add('flash');
          });
        });
        var toggle = document.getElementById('map-size');
        if (toggle) {
          toggle.addEventListener('click', function () {
            var natural = figure.classList.toggle('natural');
            var svg = figure.querySelector('svg');
            if (svg) {
              if (natural) { svg.style.width = svg.getAttribute('data-width') || ''; svg.style.height = svg.getAttribute('data-height') || ''; }
              else { svg.style.width = ''; svg.style.height = ''; }
            }
            toggle.textContent = natural ? '适应页面宽度' : '原始大小';
          });
        }
      }
    }());
    """
}
