// The newsroom's blocks for the article body editor (django-prose-editor's configurable preset
// imports this module and enables the exports named in articles/editor.py).
//
// - NewsroomQuote: the block quote, with a pull-quote style and a <cite> attribution
//   (<blockquote class="pull-quote"><p>…</p><cite>…</cite></blockquote>).
// - LibraryImage: a photo from the library by reference, <figure data-image-id="…">, shown as
//   its thumbnail with its credit; picked with a chooser that searches the library.
// - EmbedFigure: a video or social post by URL, <figure data-embed-url="…">, shown as a box
//   with the link. No player and no third-party script is ever loaded here.
// - FigureCaption: the caption of either figure, for this article only (plain text).
//
// Everything the editor submits is sanitised again on the server.

import {
  Blockquote,
  crel,
  Document,
  gettext,
  Node,
  pm,
  updateAttrsDialog,
} from "django-prose-editor/editor"

const { TextSelection } = pm.state

const PULL_QUOTE_CLASS = "pull-quote"

// -- Helpers -----------------------------------------------------------------------------------

/** The nearest ancestor of the selection of the given type: {node, pos, depth}, or null. */
const findAncestor = (state, typeName) => {
  const { $from } = state.selection
  for (let depth = $from.depth; depth > 0; depth--) {
    const node = $from.node(depth)
    if (node.type.name === typeName) {
      return { node, pos: $from.before(depth), depth }
    }
  }
  return null
}

/** Enter in a caption or an attribution: continue in a new paragraph after its block. */
const exitToParagraphAfter = (editor, typeName) => {
  const { state } = editor
  const { $from } = state.selection
  if ($from.parent.type.name !== typeName) return false
  const after = $from.after($from.depth - 1)
  const paragraph = state.schema.nodes.paragraph.create()
  const tr = state.tr.insert(after, paragraph)
  tr.setSelection(TextSelection.create(tr.doc, after + 1)).scrollIntoView()
  editor.view.dispatch(tr)
  return true
}

const isHttpUrl = (value) => {
  try {
    const url = new URL(value)
    return url.protocol === "https:" || url.protocol === "http:"
  } catch {
    return false
  }
}

// The same providers the API names (EmbedBlock.provider); only a label here.
const PROVIDERS = [
  [/(^|\.)(youtube\.com|youtu\.be|youtube-nocookie\.com)$/, "YouTube"],
  [/(^|\.)vimeo\.com$/, "Vimeo"],
  [/(^|\.)(x\.com|twitter\.com)$/, "X"],
  [/(^|\.)instagram\.com$/, "Instagram"],
  [/(^|\.)tiktok\.com$/, "TikTok"],
  [/(^|\.)(facebook\.com|fb\.watch)$/, "Facebook"],
  [/(^|\.)bsky\.app$/, "Bluesky"],
  [/(^|\.)soundcloud\.com$/, "SoundCloud"],
]

const providerLabel = (value) => {
  try {
    const host = new URL(value).hostname.toLowerCase()
    for (const [pattern, label] of PROVIDERS) {
      if (pattern.test(host)) return label
    }
    return host
  } catch {
    return gettext("Link")
  }
}

/**
 * Shared by both figures: a frame with a non-editable part (media), and the editable caption
 * (contentDOM) under a placeholder shown while it is empty. Only the caption's text is the
 * document's; everything else is drawn by the node view and never touches contentDOM itself.
 */
const figureFrame = (className, placeholderText) => {
  const media = crel("div", { className: "newsroom-figure__media", contentEditable: "false" })
  const placeholder = crel("span", {
    className: "newsroom-figure__placeholder",
    contentEditable: "false",
    textContent: placeholderText,
  })
  const contentDOM = crel("div", { className: "newsroom-figure__caption-text" })
  const caption = crel("div", { className: "newsroom-figure__caption" }, [
    placeholder,
    contentDOM,
  ])
  const dom = crel("div", { className: `newsroom-figure ${className}` }, [media, caption])
  return { dom, media, placeholder, contentDOM }
}

const captionIsEmpty = (node) => !node.firstChild || node.firstChild.content.size === 0

const figureNodeViewMethods = ({ dom, media, contentDOM }) => ({
  dom,
  contentDOM,
  // Clicks on the buttons of the non-editable part are ours, not the editor's.
  stopEvent: (event) => media.contains(event.target) && !!event.target.closest?.("button"),
  // Pictures loading, labels and classes changing are not edits of the document.
  ignoreMutation: (mutation) => {
    if (mutation.type === "selection") return false
    if (mutation.target === contentDOM) return mutation.type === "attributes"
    return !contentDOM.contains(mutation.target)
  },
})

// -- The document ------------------------------------------------------------------------------

/** Figures stand between blocks at the body's top level only, never in a list or a quote:
 * the stored body has them there alone (articles/body.py). */
const FIGURE_GROUP = "bodyFigure"

export const NewsroomDocument = Document.extend({
  content: `(block | ${FIGURE_GROUP})+`,
})

// -- Quotes ------------------------------------------------------------------------------------

/** The attribution of a quote: <cite>, the last child of a <blockquote>. */
export const QuoteAttribution = Node.create({
  name: "quoteAttribution",
  content: "text*",
  marks: "",
  defining: true,

  parseHTML() {
    return [{ tag: "cite" }]
  },

  renderHTML() {
    return ["cite", 0]
  },

  addKeyboardShortcuts() {
    return { Enter: ({ editor }) => exitToParagraphAfter(editor, this.name) }
  },
})

/** The block quote, optionally a pull quote, optionally with an attribution. */
export const NewsroomQuote = Blockquote.extend({
  content: "block+ quoteAttribution?",

  addAttributes() {
    return {
      ...this.parent?.(),
      pullQuote: {
        default: false,
        parseHTML: (element) => element.classList.contains(PULL_QUOTE_CLASS),
        renderHTML: (attributes) => (attributes.pullQuote ? { class: PULL_QUOTE_CLASS } : {}),
      },
    }
  },

  addCommands() {
    return {
      ...this.parent?.(),
      /** Make the quote around the selection a pull quote or a plain one; or start one. */
      togglePullQuote:
        () =>
        ({ state, tr, dispatch, commands }) => {
          const quote = findAncestor(state, this.name)
          if (!quote) {
            return commands.wrapIn(this.name, { pullQuote: true })
          }
          if (dispatch) {
            tr.setNodeMarkup(quote.pos, undefined, {
              ...quote.node.attrs,
              pullQuote: !quote.node.attrs.pullQuote,
            })
          }
          return true
        },
      /** Put the cursor in the quote's attribution, adding one if it has none. */
      editAttribution:
        () =>
        ({ state, tr, dispatch }) => {
          const quote = findAncestor(state, this.name)
          if (!quote) return false
          if (dispatch) {
            const end = quote.pos + quote.node.nodeSize - 1
            if (quote.node.lastChild.type.name === "quoteAttribution") {
              tr.setSelection(TextSelection.create(tr.doc, end - 1))
            } else {
              tr.insert(end, state.schema.nodes.quoteAttribution.create())
              tr.setSelection(TextSelection.create(tr.doc, end + 1))
            }
            tr.scrollIntoView()
          }
          return true
        },
    }
  },

  addMenuItems({ buttons, menu }) {
    menu.defineItem({
      name: "pullQuote",
      groups: "nodes",
      priority: 90,
      command: (editor) => editor.chain().focus().togglePullQuote().run(),
      button: buttons.text(gettext("Pull quote")),
      active: (editor) => editor.isActive(this.name, { pullQuote: true }),
      enabled: (editor) => editor.can().togglePullQuote(),
    })
    menu.defineItem({
      name: "quoteAttribution",
      groups: "nodes",
      priority: 80,
      command: (editor) => editor.chain().focus().editAttribution().run(),
      button: buttons.material("record_voice_over", gettext("Quote attribution")),
      hidden: (editor) => !editor.isActive(this.name),
      active: (editor) => editor.isActive("quoteAttribution"),
    })
  },
})

// -- Figure captions ---------------------------------------------------------------------------

/** The caption of a photo or an embed in this article: plain text in a <figcaption>. */
export const FigureCaption = Node.create({
  name: "figureCaption",
  content: "text*",
  marks: "",
  isolating: true,

  parseHTML() {
    return [{ tag: "figcaption" }]
  },

  renderHTML() {
    return ["figcaption", 0]
  },

  addKeyboardShortcuts() {
    return { Enter: ({ editor }) => exitToParagraphAfter(editor, this.name) }
  },
})

/**
 * Insert a figure at the body's top level: in place of an empty paragraph, before a paragraph
 * the cursor starts, else after the block the cursor is in (a list or quote stays whole). The
 * cursor goes to the paragraph after the figure, added when none follows.
 */
const insertFigure = (editor, figure) =>
  editor
    .chain()
    .focus()
    .command(({ tr, state }) => {
      const node = state.schema.nodeFromJSON(figure)
      const { $from } = tr.selection
      let from = tr.selection.to
      let to = from
      if ($from.depth > 0) {
        const block = $from.node(1)
        if (block.isTextblock && block.content.size === 0) {
          from = $from.before(1)
          to = $from.after(1)
        } else if ($from.depth === 1 && $from.parentOffset === 0) {
          from = to = $from.before(1)
        } else {
          from = to = $from.after(1)
        }
      }
      tr.replaceWith(from, to, node)
      const after = from + node.nodeSize
      if (!tr.doc.resolve(after).nodeAfter?.isTextblock) {
        tr.insert(after, state.schema.nodes.paragraph.create())
      }
      tr.setSelection(TextSelection.create(tr.doc, after + 1)).scrollIntoView()
      return true
    })
    .run()

const captionContent = (text) => {
  const value = (text || "").trim()
  return [{ type: "figureCaption", content: value ? [{ type: "text", text: value }] : [] }]
}

// -- Library photos ----------------------------------------------------------------------------

/** Photos looked up by id, batched: every figure on the page asks at once, one request goes. */
class PhotoLookup {
  constructor(url) {
    this.url = url
    this.known = new Map() // id -> Promise of the photo (or null when it is not in the library)
    this.pending = new Map() // id -> resolve
    this.timer = null
  }

  remember(photo) {
    this.known.set(String(photo.id), Promise.resolve(photo))
  }

  get(id) {
    id = String(id)
    if (!this.known.has(id)) {
      this.known.set(id, new Promise((resolve) => this.pending.set(id, resolve)))
      this.timer ??= setTimeout(() => this.flush(), 0)
    }
    return this.known.get(id)
  }

  async flush() {
    this.timer = null
    const batch = new Map(this.pending)
    this.pending.clear()
    const ids = [...batch.keys()]
    for (let start = 0; start < ids.length; start += 50) {
      const chunk = ids.slice(start, start + 50)
      const found = new Map()
      try {
        const query = new URLSearchParams(chunk.map((id) => ["id", id]))
        const data = await fetchJSON(`${this.url}?${query}`)
        for (const photo of data.results) found.set(String(photo.id), photo)
      } catch (error) {
        for (const id of chunk) this.known.delete(id) // try again next time
      }
      for (const id of chunk) batch.get(id)(found.get(id) || null)
    }
  }
}

const lookups = new Map()
const photoLookup = (url) => {
  if (!lookups.has(url)) lookups.set(url, new PhotoLookup(url))
  return lookups.get(url)
}

const fetchJSON = async (url) => {
  const response = await fetch(url, {
    headers: { Accept: "application/json" },
    credentials: "same-origin",
  })
  const data = await response.json()
  if (!response.ok) throw new Error(data.error || response.statusText)
  return data
}

/**
 * The chooser: search the library, pick a photo, give it a caption for this article.
 * Resolves with {photo, caption}, or null when the editor closes it.
 */
const openImageChooser = (editor, url, { askCaption = true } = {}) =>
  new Promise((resolve) => {
    let chosen = null
    let searchTimer = null
    let searchNumber = 0

    const search = crel("input", {
      type: "search",
      name: "q",
      className: "newsroom-chooser__search",
      placeholder: gettext("Search by title, caption, alt text or credit"),
      autocomplete: "off",
      "aria-label": gettext("Search the photo library"),
    })
    const status = crel("p", { className: "newsroom-chooser__status", "aria-live": "polite" })
    const results = crel("div", { className: "newsroom-chooser__results" })
    const caption = crel("input", {
      type: "text",
      name: "caption",
      className: "newsroom-chooser__caption",
      size: 50,
    })
    const captionField = crel("div", { className: "prose-editor-dialog-field" }, [
      crel("label", {}, [gettext("Caption in this article"), caption]),
    ])
    const insert = crel("button", {
      type: "submit",
      className: "newsroom-chooser__insert",
      textContent: askCaption ? gettext("Insert photo") : gettext("Use this photo"),
      disabled: true,
    })
    const cancel = crel("button", { type: "button", textContent: gettext("Cancel") })
    const form = crel("form", { className: "newsroom-chooser__form" }, [
      crel("h3", {
        className: "prose-editor-dialog-title",
        textContent: gettext("Photo from the library"),
      }),
      search,
      status,
      results,
      ...(askCaption ? [captionField] : []),
      crel("div", { className: "prose-editor-dialog-buttons" }, [insert, cancel]),
    ])
    const dialog = crel("dialog", { className: "prose-editor-dialog newsroom-chooser" }, [form])

    const finish = (value) => {
      resolve(value)
      dialog.close()
    }

    const choose = (photo, card) => {
      chosen = photo
      for (const other of results.children) other.setAttribute("aria-pressed", "false")
      card.setAttribute("aria-pressed", "true")
      caption.placeholder = photo.caption || ""
      insert.disabled = false
    }

    const card = (photo) => {
      const thumbnail = photo.thumbnail
        ? crel("img", {
            src: photo.thumbnail,
            alt: photo.altText,
            width: Math.min(photo.thumbnailWidth, 160),
            loading: "lazy",
          })
        : crel("span", { className: "newsroom-chooser__swatch" })
      const button = crel(
        "button",
        { type: "button", className: "newsroom-chooser__result", "aria-pressed": "false" },
        [
          thumbnail,
          crel("span", { className: "newsroom-chooser__title", textContent: photo.title }),
          crel("span", {
            className: "newsroom-chooser__credit",
            textContent: photo.credit || gettext("No credit yet"),
          }),
        ],
      )
      button.dataset.imageId = photo.id
      button.addEventListener("click", () => choose(photo, button))
      button.addEventListener("dblclick", () => {
        choose(photo, button)
        if (!askCaption) finish({ photo, caption: "" })
      })
      return button
    }

    const load = async () => {
      const number = ++searchNumber
      status.textContent = gettext("Searching…")
      try {
        const query = new URLSearchParams({ q: search.value.trim() })
        const data = await fetchJSON(`${url}?${query}`)
        if (number !== searchNumber) return // a newer search has started
        results.replaceChildren(...data.results.map(card))
        status.textContent = data.results.length
          ? ""
          : gettext("No photo matches. Upload it to the photo library first.")
      } catch (error) {
        if (number === searchNumber) status.textContent = error.message
      }
    }

    search.addEventListener("input", () => {
      clearTimeout(searchTimer)
      searchTimer = setTimeout(load, 250)
    })
    form.addEventListener("submit", (event) => event.preventDefault())
    insert.addEventListener("click", (event) => {
      event.preventDefault()
      if (chosen) finish({ photo: chosen, caption: caption.value })
    })
    cancel.addEventListener("click", () => finish(null))
    dialog.addEventListener("close", () => {
      dialog.remove()
      resolve(null) // no effect once resolved
    })

    editor.view.dom.parentElement.append(dialog)
    dialog.showModal()
    search.focus()
    load()
  })

/** A photo from the library, by reference: <figure data-image-id="…"><figcaption>. */
export const LibraryImage = Node.create({
  name: "libraryImage",
  group: FIGURE_GROUP,
  content: "figureCaption",
  draggable: true,
  isolating: true,

  addOptions() {
    return { chooserUrl: null }
  },

  addAttributes() {
    return {
      imageId: {
        default: null,
        parseHTML: (element) => element.getAttribute("data-image-id"),
        renderHTML: (attributes) => ({ "data-image-id": attributes.imageId }),
      },
    }
  },

  parseHTML() {
    return [
      {
        tag: "figure[data-image-id]",
        getAttrs: (element) =>
          /^\d+$/.test(element.getAttribute("data-image-id") || "") ? null : false,
      },
    ]
  },

  renderHTML({ HTMLAttributes }) {
    return ["figure", HTMLAttributes, 0]
  },

  addNodeView() {
    const lookup = photoLookup(this.options.chooserUrl)
    const chooserUrl = this.options.chooserUrl
    const typeName = this.name

    return ({ node, editor, getPos }) => {
      const frame = figureFrame(
        "newsroom-figure--image",
        gettext("Caption for this article (empty: the photo’s own caption)"),
      )
      const thumbnail = crel("img", { className: "newsroom-figure__thumbnail", alt: "" })
      const title = crel("strong", { className: "newsroom-figure__title" })
      const credit = crel("span", { className: "newsroom-figure__credit" })
      const alt = crel("span", { className: "newsroom-figure__alt" })
      const change = crel("button", {
        type: "button",
        className: "newsroom-figure__button",
        textContent: gettext("Change photo"),
      })
      frame.media.append(
        thumbnail,
        crel("span", { className: "newsroom-figure__meta" }, [title, credit, alt, change]),
      )

      let shownId = null
      const show = (imageId) => {
        if (imageId === shownId) return
        shownId = imageId
        frame.dom.dataset.imageId = imageId
        title.textContent = gettext("Loading photo…")
        lookup.get(imageId).then((photo) => {
          if (shownId !== imageId) return
          frame.dom.classList.toggle("newsroom-figure--missing", !photo)
          if (!photo) {
            thumbnail.removeAttribute("src")
            title.textContent = gettext("This photo is not in the library.")
            credit.textContent = alt.textContent = ""
            return
          }
          if (photo.thumbnail) {
            thumbnail.src = photo.thumbnail
            thumbnail.width = photo.thumbnailWidth
            thumbnail.height = photo.thumbnailHeight
          }
          thumbnail.alt = photo.altText
          title.textContent = photo.title
          credit.textContent = photo.credit
            ? `${gettext("Credit")}: ${photo.credit}`
            : gettext("No credit: add one in the library before publishing.")
          alt.textContent = photo.altText
            ? `${gettext("Alt text")}: ${photo.altText}`
            : gettext("No alt text: add it in the library before publishing.")
          frame.placeholder.textContent = photo.caption
            ? `${photo.caption} (${gettext("the photo’s own caption; type to replace it here")})`
            : gettext("Caption for this article")
        })
      }

      change.addEventListener("click", () => {
        openImageChooser(editor, chooserUrl, { askCaption: false }).then((choice) => {
          const pos = typeof getPos === "function" ? getPos() : null
          if (!choice || pos == null) return
          lookup.remember(choice.photo)
          editor.view.dispatch(
            editor.state.tr.setNodeMarkup(pos, undefined, { imageId: String(choice.photo.id) }),
          )
        })
      })

      const update = (updated) => {
        if (updated.type.name !== typeName) return false
        show(updated.attrs.imageId)
        frame.dom.classList.toggle("is-caption-empty", captionIsEmpty(updated))
        return true
      }
      update(node)

      return { ...figureNodeViewMethods(frame), update }
    }
  },

  addCommands() {
    return {
      insertLibraryImage:
        () =>
        ({ editor, dispatch }) => {
          if (!dispatch) return true // a figure can always go at the top level
          openImageChooser(editor, this.options.chooserUrl).then((choice) => {
            if (!choice) return
            photoLookup(this.options.chooserUrl).remember(choice.photo)
            insertFigure(editor, {
              type: this.name,
              attrs: { imageId: String(choice.photo.id) },
              content: captionContent(choice.caption),
            })
          })
          return true
        },
    }
  },

  addMenuItems({ buttons, menu }) {
    menu.defineItem({
      name: this.name,
      groups: "figures",
      command: (editor) => editor.commands.insertLibraryImage(),
      button: buttons.material("add_photo_alternate", gettext("Photo from the library")),
      enabled: (editor) => editor.can().insertLibraryImage(),
    })
  },
})

// -- Embeds ------------------------------------------------------------------------------------

const embedDialog = (editor, values, problem = "") =>
  updateAttrsDialog(
    {
      url: {
        type: "string",
        format: "url",
        title: gettext("Link to the video or post"),
        description: problem || gettext("https://… as the provider shares it"),
        required: true,
      },
      ...(values.withCaption
        ? { caption: { type: "string", title: gettext("Caption in this article") } }
        : {}),
    },
    { title: gettext("Embed"), submitText: gettext("Embed") },
  )(editor, values)

/** Ask for an embed's link until it is an http(s) URL, or the editor gives up. */
const askEmbed = async (editor, values) => {
  let problem = ""
  for (;;) {
    const answer = await embedDialog(editor, values, problem)
    if (!answer) return null
    if (isHttpUrl(answer.url.trim())) return { ...answer, url: answer.url.trim() }
    values = { ...values, ...answer }
    problem = gettext("Only links starting with https:// or http:// can be embedded.")
  }
}

/** A video or social post by URL: <figure data-embed-url="…"><figcaption>. */
export const EmbedFigure = Node.create({
  name: "embedFigure",
  group: FIGURE_GROUP,
  content: "figureCaption",
  draggable: true,
  isolating: true,

  addAttributes() {
    return {
      url: {
        default: null,
        parseHTML: (element) => element.getAttribute("data-embed-url"),
        renderHTML: (attributes) => ({ "data-embed-url": attributes.url }),
      },
    }
  },

  parseHTML() {
    return [
      {
        tag: "figure[data-embed-url]",
        getAttrs: (element) =>
          isHttpUrl(element.getAttribute("data-embed-url")) ? null : false,
      },
    ]
  },

  renderHTML({ HTMLAttributes }) {
    return ["figure", HTMLAttributes, 0]
  },

  addNodeView() {
    const typeName = this.name
    return ({ node, editor, getPos }) => {
      const frame = figureFrame("newsroom-figure--embed", gettext("Caption for this article"))
      const icon = crel("span", {
        className: "material-icons newsroom-figure__icon",
        textContent: "smart_display",
        "aria-hidden": "true",
      })
      const provider = crel("strong", { className: "newsroom-figure__title" })
      const link = crel("span", { className: "newsroom-figure__url" })
      const edit = crel("button", {
        type: "button",
        className: "newsroom-figure__button",
        textContent: gettext("Change link"),
      })
      frame.media.append(
        icon,
        crel("span", { className: "newsroom-figure__meta" }, [provider, link, edit]),
      )

      edit.addEventListener("click", () => {
        const pos = typeof getPos === "function" ? getPos() : null
        if (pos == null) return
        askEmbed(editor, { url: editor.state.doc.nodeAt(pos)?.attrs.url || "" }).then(
          (answer) => {
            const current = typeof getPos === "function" ? getPos() : null
            if (!answer || current == null) return
            editor.view.dispatch(
              editor.state.tr.setNodeMarkup(current, undefined, { url: answer.url }),
            )
          },
        )
      })

      const update = (updated) => {
        if (updated.type.name !== typeName) return false
        provider.textContent = providerLabel(updated.attrs.url)
        link.textContent = updated.attrs.url
        frame.dom.classList.toggle("is-caption-empty", captionIsEmpty(updated))
        return true
      }
      update(node)

      return { ...figureNodeViewMethods(frame), update }
    }
  },

  addCommands() {
    return {
      insertEmbed:
        () =>
        ({ editor, dispatch }) => {
          if (!dispatch) return true
          askEmbed(editor, { url: "", caption: "", withCaption: true }).then((answer) => {
            if (!answer) return
            insertFigure(editor, {
              type: this.name,
              attrs: { url: answer.url },
              content: captionContent(answer.caption),
            })
          })
          return true
        },
    }
  },

  addMenuItems({ buttons, menu }) {
    menu.defineItem({
      name: this.name,
      groups: "figures",
      command: (editor) => editor.commands.insertEmbed(),
      button: buttons.material("smart_display", gettext("Embed a video or post by link")),
      enabled: (editor) => editor.can().insertEmbed(),
    })
  },
})
